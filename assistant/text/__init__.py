"""Text helpers shared by the rules and the evaluation: words, stems and dates."""
