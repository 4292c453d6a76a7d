# Medians of the campaign's runs: JMH iteration scores (raw data, not the mean) and peer outputs.
# Usage: /usr/bin/python3 bench/results/2026-12-04/issue22/summarize.py OUTDIR
import glob, json, os, re, statistics, sys
d = sys.argv[1]
def med(xs): return statistics.median(xs) if xs else float('nan')
rows = {}
for f in sorted(glob.glob(os.path.join(d, '*.json'))):
    run = os.path.basename(f)[:-5]
    if os.path.getsize(f) == 0:
        # JMH writes the JSON only when the run ends; an empty file is a run that was stopped.
        print(f"{run}: empty JSON (run stopped before JMH wrote its result), no figure")
        continue
    for b in json.load(open(f)):
        name = b['benchmark'].split('.')[-2] + '.' + b['benchmark'].split('.')[-1]
        params = ','.join(f"{k}={v}" for k, v in sorted(b.get('params', {}).items()))
        its = [x for fork in b['primaryMetric']['rawData'] for x in fork]
        rows.setdefault((run.rstrip('0123456789ab_') or run, name, params), []).append((run, its))
for (group, name, params), runs in sorted(rows.items()):
    allits = [x for _, its in runs for x in its]
    per = '; '.join(f"{run}: med {med(its):.4g} [{min(its):.4g}..{max(its):.4g}]" for run, its in runs)
    print(f"{name} {params} | all {len(allits)} its: median {med(allits):.4g} | {per}")
peers = {}
for f in sorted(glob.glob(os.path.join(d, '*.txt'))):
    base = os.path.basename(f)[:-4]
    if base in ('log',) or base.startswith('step_profile'): continue
    text = open(f).read()
    if 'Benchmark' in text and 'JMH' in text: continue
    nums = re.findall(r'^(?:(train|infer) )?([0-9.]+)$', text, re.M)
    for label, v in nums:
        key = re.sub(r'_\d+[ab]?$', '', base) + (' ' + label if label else '')
        peers.setdefault(key, []).append(float(v))
for k, vs in sorted(peers.items()):
    print(f"peer {k}: median {med(vs):.4g} of {len(vs)}: {', '.join(f'{v:g}' for v in vs)}")
