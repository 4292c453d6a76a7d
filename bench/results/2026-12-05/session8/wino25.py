import numpy as np
from fractions import Fraction
Bt = np.array([[4,0,-5,0,1,0],[0,-4,-4,1,1,0],[0,4,-4,-1,1,0],[0,-2,-1,2,1,0],[0,2,-1,-2,1,0],[0,4,0,-5,0,1]], float)
At = np.array([[1,1,1,1,1,0],[0,1,-1,2,-2,1]], float)
m, r, n = 2, 5, 6
rows = []; rhs = []
for i in range(m):
    for k in range(r):
        for l in range(n):
            row = np.zeros((n, r))
            for j in range(n):
                row[j, k] += At[i, j] * Bt[j, l]
            rows.append(row.ravel()); rhs.append(1.0 if l == i + k else 0.0)
Gs, res, rank, sv = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)
G = Gs.reshape(n, r)
print("rank", rank, "residual", res)
for row in G:
    print([str(Fraction(x).limit_denominator(1000)) for x in row])
# check 1D and 2D
rng = np.random.default_rng(1)
d = rng.standard_normal(6); g = rng.standard_normal(5)
y = At @ ((G @ g) * (Bt @ d)); yd = np.array([sum(g[k]*d[i+k] for k in range(5)) for i in range(2)])
print(y, yd)
D = rng.standard_normal((6,6)); Gk = rng.standard_normal((5,5))
Y = At @ ((G @ Gk @ G.T) * (Bt @ D @ Bt.T)) @ At.T
Yd = np.array([[np.sum(Gk * D[i:i+5, j:j+5]) for j in range(2)] for i in range(2)])
print(np.abs(Y - Yd).max())
