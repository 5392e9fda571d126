"""Evaluation of the coaching workflows: checks that judge an output as its reader would, the
persona run, the debrief test set and the blind judges' packets."""
