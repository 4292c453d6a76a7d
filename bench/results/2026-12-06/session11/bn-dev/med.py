import sys,re,statistics,collections
# prints median of measurement iterations per (file, benchmark)
for f in sys.argv[1:]:
    cur=None; vals=collections.OrderedDict()
    for line in open(f):
        m=re.match(r'# Benchmark: \S+\.(\w+)$',line.strip())
        if m: bench=m.group(1); continue
        m=re.match(r'# Parameters: \((.*)\)',line.strip())
        if m: cur=bench+'['+re.sub(r'kernels = \w+, shape = ','',m.group(1))+']'; vals[cur]=[]; continue
        m=re.match(r'Iteration\s+\d+:\s+([\d.]+)',line)
        if m and cur: vals[cur].append(float(m.group(1)))
    print(f, ' '.join('%s=%.3f'%(k,statistics.median(v)) for k,v in vals.items() if v))
