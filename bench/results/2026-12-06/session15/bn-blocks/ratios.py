import re,sys,statistics,glob
def med(f):
    vals={}
    cur=None
    for line in open(f):
        m=re.match(r'# Benchmark: \S+\.(\w+)$',line.strip())
        if m: cur=m.group(1); vals[cur]=[]; continue
        m=re.match(r'Iteration\s+\d+:\s+([\d.]+)',line)
        if m and cur: vals[cur].append(float(m.group(1)))
    return {k:statistics.median(v) for k,v in vals.items() if v}
for name in sys.argv[2:]:
    fs=sorted(glob.glob(sys.argv[1]+'/'+name+'-*.txt'))
    rows=[med(f) for f in fs]
    rows=[r for r in rows if 'forwardBackward' in r and 'readWriteOnce' in r]
    fb=[r['forwardBackward'] for r in rows]; rw=[r['readWriteOnce'] for r in rows]
    ra=sorted(a/b for a,b in zip(fb,rw))
    print(name, 'forks',len(rows),'fb median %.3f'%statistics.median(fb),'rw median %.3f'%statistics.median(rw),'ratio median %.2f'%statistics.median(ra),'range %.2f-%.2f'%(ra[0],ra[-1]),'below2 %d'%sum(1 for x in ra if x<2))
