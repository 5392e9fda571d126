"""Draft experiment on the tuning personas only: what the model wrote per piece."""
import json, sys, time, yaml, collections
from assistant.components.llm import get_model
from assistant.services.knowledge_base import get_knowledge_base
from assistant.settings import get_settings
from assistant.services.coaching.outreach import OutreachRequest, draft_outreach
run = json.load(open('/work/main/eval/workflows/runs/2026-12-03-final-d7d09fd.json'))
goals = {r['id']: r['goal_card']['goal'] if isinstance(r['goal_card'], dict) and 'goal' in r['goal_card'] else None for r in run['results']}
model = get_model(get_settings()); kb = get_knowledge_base()
fc = collections.Counter(); probs = collections.Counter(); n = 0
out = []
for p in yaml.safe_load(open('eval/workflows/personas.yaml')):
    goal = goals.get(p['id']) or p['answers'][0]
    r = OutreachRequest(mentor_name=p['mentor']['name'], mentor_role=p['mentor'].get('role', ''), bio=p.get('bio', ''), goal=goal, channel=p['channel'], relationship=p.get('relationship', 'cold'), sender_name=p.get('sender_name', ''), about_me=p.get('situation', ''))
    t = time.time(); d, _ = draft_outreach(r, model, kb); dt = time.time() - t
    n += 1; fc.update(d.from_code)
    for pr in d.revisions:
        for part in pr.split('; '):
            probs[part[:70]] += 1
    print(f"== {p['id']} {dt:.1f}s attempts={d.attempts} from_code={d.from_code} failed={[i.id for i in d.report.failed()]}")
    print('   pieces:', json.dumps(d.pieces))
    print('   ' + d.body.replace('\n', '\n   '))
    sys.stdout.flush()
print('from_code', dict(fc), 'of', n)
for k, v in probs.most_common(15): print(v, k)
