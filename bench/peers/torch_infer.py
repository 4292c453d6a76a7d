# shared/peers/torch_step.py's inference part, at batch 128 and 256 (same network, same timing: median of 10)
import torch, torch.nn as nn, time
torch.set_num_threads(2); torch.manual_seed(0)
K=48
net=nn.Sequential(nn.Conv2d(1,32,5,padding=2),nn.ReLU(),nn.MaxPool2d(2),nn.Conv2d(32,64,5,padding=2),nn.ReLU(),nn.MaxPool2d(2),nn.Flatten(),nn.Linear(3136,500),nn.ReLU(),nn.Linear(500,K))
with torch.no_grad():
    for b in (128, 256):
        xb=torch.rand(b,1,28,28)
        for _ in range(3): net(xb)
        ts=[]
        for _ in range(10):
            t=time.perf_counter(); net(xb); ts.append(time.perf_counter()-t)
        ts.sort(); print("infer", b, round(b/ts[5],1))
