import asyncio
total = 0
for i in range(10):
    if i % 2 == 0:
        continue
    elif i == 7:
        break
    else:
        total += i
else:
    print('no break')
while total > 0:
    total -= 1
    if total == 3: break
else:
    pass
for k, v in {'a': 1}.items():
    print(k, v)
for i, (p, q) in enumerate([(1, 2)], start=1):
    print(i, p, q)
while (n := total) > 100:
    pass
count = 0
def bump():
    global count
    count += 1
if True: x = 1; y = 2
