xs = [1, 2, 3, 4]
squares = [x * x for x in xs if x > 1 if x < 4]
pairs = [(a, b) for a in xs for b in 'ab']
evens = {x for x in xs if x % 2 == 0}
index = {k: v for k, v in enumerate(xs)}
total = sum(x for x in xs)
nested = [[y for y in range(x)] for x in xs]
cond = [x if x > 2 else -x for x in xs]
sl = xs[1:3], xs[:2], xs[2:], xs[::2], xs[::-1], xs[-1], xs[1:-1:1]
m = {'a': {'b': [1, 2]}}
deep = m['a']['b'][0]
meth = 'a,b'.split(',')[0].upper()
chain = obj.attr.method(1)(2)[3].last
name = 'World'
width = 10
pi = 3.14159
fs = f'Hello, {name}! {pi:.2f} {width:>{width}} {name!r} {{braces}} {xs[0] + 1} {m["a"]} {"x" if pi else "y"}'
fs2 = f"{name:*^20}" f'{pi:{width}.{3}}' 'plain'
fs3 = f'{len(xs)}' if False else f'{3.5:e} {1000000:,} {0.25:%} {255:x} {-7:+d}'
pct = '%s has %d items %.1f' % (name, 3, 2.5)
fmt = '{} and {name}'.format(1, name='x')
rep = 'ab' * 3
neg = -(-1)
bits = ~1 | 2 & 3 ^ 4 << 1 >> 1
empty = {}
ell = ...
