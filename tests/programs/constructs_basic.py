import asyncio
import time, random
from asyncio import sleep, gather as g

x = 1
y = z = 2.5
a, b = 1, 2
(c, d), e = (3, 4), 5
first, *rest = [1, 2, 3]
x += 1
y -= 0.5
lst = [1, 2, 3]
lst[0] *= 10
counts = {}
counts['a'] = counts.get('a', 0) + 1
counts['a'] += 1
n = -x ** 2
m = (1 + 2) * 3 - 4 / 5 // 6 % 7
ok = not (x < y <= z) and x != 3 or x is None
inside = 3 in lst and 4 not in lst and x is not None
t = ()
single = (1,)
s = {1, 2, 3}
d = {'k': 1, 'j': [1, 2], **counts}
big = 0x1F + 0o17 + 0b101 + 1_000_000
f = 1e-3 + .5 + 3. + 2.5e10
text = 'one' "two" '''three'''
esc = 'tab\there\nnewline \\ \' \x41 \u00e9'
raw = r'\d+\n'
