"""CPython's tree of a Python program, printed in the form Interleave's parser prints its own
(`interleave parse FILE --tree`, src/engine/lang/python/dump.rs), so the two can be compared
node by node. Only the nodes of the subset Interleave reads are known here; any other node is
printed as (Unknown <name>), which never matches.

Usage: python3 python_ast.py FILE.py
       python3 python_ast.py --batch FILE.py...   each file's tree (or its SyntaxError as
                                                   "Kind: message" and "line N"), after a line
                                                   "=== FILE"
"""
import ast
import sys


def lst(items, f):
    return "(" + " ".join(f(i) for i in items) + ")"


def opt(e):
    return "-" if e is None else expr(e)


def name(n):
    return "-" if n is None else n


def alias(a):
    return f"({a.name} {name(a.asname)})"


def params(a, returns=None):
    names = [p.arg for p in a.posonlyargs + a.args]
    # Annotations in the order CPython's compiler evaluates them.
    annotated = a.args + a.posonlyargs + [a.vararg] + a.kwonlyargs + [a.kwarg]
    annotations = [(p.arg, p.annotation) for p in annotated if p and p.annotation]
    if returns:
        annotations.append(("return", returns))
    return (
        f"({lst(names, str)} {len(a.posonlyargs)} {lst(a.defaults, expr)}"
        f" {a.vararg.arg if a.vararg else '-'} {lst([p.arg for p in a.kwonlyargs], str)}"
        f" {lst(a.kw_defaults, opt)} {a.kwarg.arg if a.kwarg else '-'}"
        f" {lst(annotations, lambda na: f'({na[0]} {expr(na[1])})')})"
    )


def op(o):
    return type(o).__name__


def body(stmts):
    return lst(stmts, stmt)


def stmt(s):
    t = type(s).__name__
    if isinstance(s, ast.Import):
        return f"(Import {lst(s.names, alias)})"
    if isinstance(s, ast.ImportFrom):
        return f"(ImportFrom {s.module} {lst(s.names, alias)})"
    if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return f"({t} {s.name} {params(s.args, s.returns)} {body(s.body)})"
    if isinstance(s, ast.Return):
        return f"(Return {opt(s.value)})"
    if isinstance(s, ast.Assign):
        return f"(Assign {lst(s.targets, expr)} {expr(s.value)})"
    if isinstance(s, ast.AnnAssign):
        return f"(AnnAssign {expr(s.target)} {expr(s.annotation)} {opt(s.value)} {s.simple})"
    if isinstance(s, ast.AugAssign):
        return f"(AugAssign {expr(s.target)} {op(s.op)} {expr(s.value)})"
    if isinstance(s, ast.Expr):
        return f"(Expr {expr(s.value)})"
    if isinstance(s, ast.If):
        return f"(If {expr(s.test)} {body(s.body)} {body(s.orelse)})"
    if isinstance(s, ast.For):
        return f"(For {expr(s.target)} {expr(s.iter)} {body(s.body)} {body(s.orelse)})"
    if isinstance(s, ast.While):
        return f"(While {expr(s.test)} {body(s.body)} {body(s.orelse)})"
    if isinstance(s, (ast.Break, ast.Continue, ast.Pass)):
        return f"({t})"
    if isinstance(s, ast.Global):
        return f"(Global {lst(s.names, str)})"
    if isinstance(s, ast.Nonlocal):
        return f"(Nonlocal {lst(s.names, str)})"
    if isinstance(s, ast.Delete):
        return f"(Delete {lst(s.targets, expr)})"
    if isinstance(s, ast.Assert):
        return f"(Assert {expr(s.test)} {opt(s.msg)})"
    if isinstance(s, ast.Raise):
        return f"(Raise {opt(s.exc)} {opt(s.cause)})"
    if isinstance(s, ast.Try):
        handlers = lst(
            s.handlers,
            lambda h: f"(ExceptHandler {opt(h.type)} {name(h.name)} {body(h.body)})",
        )
        return f"(Try {body(s.body)} {handlers} {body(s.orelse)} {body(s.finalbody)})"
    if isinstance(s, (ast.With, ast.AsyncWith)):
        items = lst(s.items, lambda i: f"(withitem {expr(i.context_expr)} {opt(i.optional_vars)})")
        return f"({t} {items} {body(s.body)})"
    return f"(Unknown {t})"


def const(v):
    if v is Ellipsis:
        return "Ellipsis"
    return repr(v)


def fparts(values):
    out = []
    for v in values:
        if isinstance(v, ast.Constant):
            out.append(f"(Constant {const(v.value)})")
        elif isinstance(v, ast.FormattedValue):
            spec = "-" if v.format_spec is None else f"(JoinedStr {fparts(v.format_spec.values)})"
            out.append(f"(FormattedValue {expr(v.value)} {v.conversion} {spec})")
        else:
            out.append(f"(Unknown {type(v).__name__})")
    return "(" + " ".join(out) + ")"


def gens(gs):
    return lst(gs, lambda g: f"(comprehension {expr(g.target)} {expr(g.iter)} {lst(g.ifs, expr)})")


def expr(e):
    t = type(e).__name__
    if isinstance(e, ast.Constant):
        return f"(Constant {const(e.value)})"
    if isinstance(e, ast.JoinedStr):
        return f"(JoinedStr {fparts(e.values)})"
    if isinstance(e, ast.Name):
        return f"(Name {e.id})"
    if isinstance(e, ast.BinOp):
        return f"(BinOp {expr(e.left)} {op(e.op)} {expr(e.right)})"
    if isinstance(e, ast.UnaryOp):
        return f"(UnaryOp {op(e.op)} {expr(e.operand)})"
    if isinstance(e, ast.BoolOp):
        return f"(BoolOp {op(e.op)} {lst(e.values, expr)})"
    if isinstance(e, ast.Compare):
        return f"(Compare {expr(e.left)} {lst(e.ops, op)} {lst(e.comparators, expr)})"
    if isinstance(e, ast.Call):
        kws = lst(e.keywords, lambda k: f"(keyword {name(k.arg)} {expr(k.value)})")
        return f"(Call {expr(e.func)} {lst(e.args, expr)} {kws})"
    if isinstance(e, ast.Attribute):
        return f"(Attribute {expr(e.value)} {e.attr})"
    if isinstance(e, ast.Subscript):
        return f"(Subscript {expr(e.value)} {expr(e.slice)})"
    if isinstance(e, ast.Slice):
        return f"(Slice {opt(e.lower)} {opt(e.upper)} {opt(e.step)})"
    if isinstance(e, ast.Starred):
        return f"(Starred {expr(e.value)})"
    if isinstance(e, (ast.List, ast.Tuple, ast.Set)):
        return f"({t} {lst(e.elts, expr)})"
    if isinstance(e, ast.Dict):
        return f"(Dict {lst(e.keys, opt)} {lst(e.values, expr)})"
    if isinstance(e, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return f"({t} {expr(e.elt)} {gens(e.generators)})"
    if isinstance(e, ast.DictComp):
        return f"(DictComp {expr(e.key)} {expr(e.value)} {gens(e.generators)})"
    if isinstance(e, ast.Lambda):
        return f"(Lambda {params(e.args)} {expr(e.body)})"
    if isinstance(e, ast.IfExp):
        return f"(IfExp {expr(e.test)} {expr(e.body)} {expr(e.orelse)})"
    if isinstance(e, ast.Await):
        return f"(Await {expr(e.value)})"
    if isinstance(e, ast.NamedExpr):
        return f"(NamedExpr {expr(e.target)} {expr(e.value)})"
    return f"(Unknown {t})"


def tree(path, out):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    try:
        parsed = ast.parse(source)
    except SyntaxError as e:
        print(f"{type(e).__name__}: {e.msg}", file=out)
        print(f"line {e.lineno}", file=out)
        return False
    for s in parsed.body:
        print(stmt(s), file=out)
    return True


def main():
    if sys.argv[1] == "--batch":
        for path in sys.argv[2:]:
            print(f"=== {path}")
            tree(path, sys.stdout)
        return
    if not tree(sys.argv[1], sys.stdout):
        sys.exit(1)


if __name__ == "__main__":
    main()
