# One DSDH B step (closed-form W, then DCC sweeps) on a checkpoint of ours, with our constants (eta/mu = 110, up to 10
# sweeps, stop when none changes) and hash_ref.py's (55, exactly 3), from the same B and U: how many bits differ.
# Session 5, 2026-12-05, on resnet18-full-seed1's DSDH checkpoint (not kept: 136 MB):
#   python3 dsdh_bstep.py OURS-DSDH-48.safetensors   -> 5 of 240,000 bits differ
import sys
import gzip, json, struct, numpy as np
D='/usr/share/datasets/fashion-mnist/'
def idx(name):
    raw=gzip.open(D+name).read(); nd=raw[3]
    dims=[int.from_bytes(raw[4+4*i:8+4*i],'big') for i in range(nd)]
    return np.frombuffer(raw,np.uint8,offset=4+4*nd).reshape(dims)
class JR:
    M,A,K=0x5DEECE66D,0xB,(1<<48)-1
    def __init__(s,seed): s.s=(seed^s.M)&s.K
    def nxt(s,b):
        s.s=(s.s*s.M+s.A)&s.K; r=s.s>>(48-b); return r-(1<<32) if r>=1<<31 else r
    def ni(s,bound):
        if bound&-bound==bound: return (bound*s.nxt(31))>>31
        while True:
            b=s.nxt(31); v=b%bound
            if b-v+(bound-1)<1<<31: return v
def draw(lab,pool,per,rnd,taken):
    o=list(pool)
    for i in range(len(o)-1,0,-1):
        j=rnd.ni(i+1); o[i],o[j]=o[j],o[i]
    cnt=np.zeros(10,int); ch=[]
    for i in o:
        if taken[i]: continue
        c=lab[i]
        if cnt[c]<per: cnt[c]+=1; taken[i]=True; ch.append(i)
    return np.sort(np.array(ch))
lab=np.concatenate([idx('train-labels-idx1-ubyte.gz'),idx('t10k-labels-idx1-ubyte.gz')]).astype(int)
rnd=JR(0); taken=np.zeros(len(lab),bool)
q=draw(lab,range(60000,70000),100,rnd,taken); t=draw(lab,range(60000),500,rnd,taken)
Y=np.eye(10)[lab[t]]
f=open(sys.argv[1],'rb'); n=struct.unpack('<Q',f.read(8))[0]; h=json.loads(f.read(n)); data=f.read()
def get(k):
    lo,hi=h[k]['data_offsets']; return np.frombuffer(data[lo:hi],np.float32).reshape(h[k]['shape']).astype(np.float64)
U=get('state.method.bank'); B0=get('state.method.codes'); K=U.shape[1]
def bstep(B,eta,sweeps,stop):
    B=B.copy(); W=np.linalg.solve(B.T@B+0.1*np.eye(K),B.T@Y); P=Y@W.T+eta*U; M=W@W.T; s=0
    for s in range(1,sweeps+1):
        ch=False
        for k in range(K):
            oth=B@M[:,k]-B[:,k]*M[k,k]; nb=np.where(P[:,k]-oth>=0,1.0,-1.0)
            ch|=bool((nb!=B[:,k]).any()); B[:,k]=nb
        if stop and not ch: break
    return B,W,s
Bo,Wo,so=bstep(B0,110,10,True); Bp,Wp,sp=bstep(B0,55,3,False)
sg=np.where(U>=0,1.0,-1.0)
print('|W| mean',np.abs(Wo).mean(),'|Y W^T| mean',np.abs(Y@Wo.T).mean(),'|u| median',np.median(np.abs(U)),'frac |u|<1e-3',(np.abs(U)<1e-3).mean())
print('ours sweeps',so,'bits ours!=peer',int((Bo!=Bp).sum()),'of',Bo.size,'ours!=sgnU',int((Bo!=sg).sum()),'peer!=sgnU',int((Bp!=sg).sum()))
