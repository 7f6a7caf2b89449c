"""Traced products: the Python side of the Go core's ``tensordot`` and
``matmul`` (``core/ad/rules_array.go``).

dot, inner, vdot and tensordot are the core's tensordot (one BLAS call per
product), matmul its matmul, with numpy's checks and error messages first;
outer, kron and cross are broadcast products; einsum is reduced to
diagonals (gathers), sums, tensordots and broadcast products.
"""
import numpy as _np

from ..ops import apply, binary, lift, opid, shape_of, ndim_of, iscomplex_of
from ._args import reject_kwargs, normalize_axis, shape_str
from .array_combining import stack
from .array_indexing import gather, index_grid
from .array_reductions import sum
from .array_shapes import broadcast_to, moveaxis, ravel, reshape, transpose
from .elementwise import conj, multiply
from .numpy_wrapper import traced


def _not_aligned(sa, sb, da, db):
    return ValueError("shapes {} and {} not aligned: {} (dim {}) != {} (dim {})".format(
        shape_str(sa), shape_str(sb), sa[da], da, sb[db], db))


@traced("tensordot")
def tensordot(a, b, axes=2):
    a, b = lift(a), lift(b)
    sa, sb = shape_of(a), shape_of(b)
    na, nb = len(sa), len(sb)
    if isinstance(axes, (int, _np.integer)):
        n = int(axes)
        if n < 0 or n > na or n > nb:
            raise ValueError("shape-mismatch for sum")
        ax_a, ax_b = list(range(na - n, na)), list(range(n))
    else:
        ax_a, ax_b = axes
        ax_a = [ax_a] if isinstance(ax_a, (int, _np.integer)) else list(ax_a)
        ax_b = [ax_b] if isinstance(ax_b, (int, _np.integer)) else list(ax_b)
        if len(ax_a) != len(ax_b):
            raise ValueError("shape-mismatch for sum")
        ax_a = [normalize_axis(i, na) for i in ax_a]
        ax_b = [normalize_axis(i, nb) for i in ax_b]
    for i, j in zip(ax_a, ax_b):
        if sa[i] != sb[j]:
            raise ValueError("shape-mismatch for sum")
    if not ax_a and (na == 0 or nb == 0):
        return multiply(a, b)
    return apply("tensordot", [a, b], axes=ax_a, axes2=ax_b)


@traced("dot")
def dot(a, b, out=None):
    a, b = lift(a), lift(b)
    sa, sb = shape_of(a), shape_of(b)
    na, nb = len(sa), len(sb)
    if na == 0 or nb == 0:
        return multiply(a, b)
    db = 0 if nb == 1 else nb - 2
    if sa[-1] != sb[db]:
        raise _not_aligned(sa, sb, na - 1, db)
    if na <= 2 and nb <= 2:  # numpy's dot is matmul here: one core call, no attributes
        return binary(_MATMUL, a, b, _np.dot)
    return apply("tensordot", [a, b], axes=[na - 1], axes2=[db])


_MATMUL = opid("matmul")


@traced("vdot")
def _vdot(a, b):
    a, b = lift(a), lift(b)
    return dot(ravel(conj(a)) if iscomplex_of(a) else ravel(a), ravel(b))


@traced("matmul")
def matmul(a, b, **kwargs):
    reject_kwargs("matmul", kwargs)
    a, b = lift(a), lift(b)
    for k, x in enumerate((a, b)):
        if ndim_of(x) == 0:
            raise ValueError("matmul: Input operand {} does not have enough dimensions (has 0, "
                             "gufunc core with signature (n?,k),(k,m?)->(n?,m?) requires 1)".format(k))
    sa, sb = shape_of(a), shape_of(b)
    kb = sb[0] if len(sb) == 1 else sb[-2]
    if sa[-1] != kb:
        raise ValueError("matmul: Input operand 1 has a mismatch in its core dimension 0, with "
                         "gufunc signature (n?,k),(k,m?)->(n?,m?) (size {} is different from {})"
                         .format(kb, sa[-1]))
    return apply("matmul", [a, b])


@traced("inner")
def inner(a, b):
    a, b = lift(a), lift(b)
    sa, sb = shape_of(a), shape_of(b)
    if not sa or not sb:
        return multiply(a, b)
    if sa[-1] != sb[-1]:
        raise _not_aligned(sa, sb, len(sa) - 1, len(sb) - 1)
    return apply("tensordot", [a, b], axes=[len(sa) - 1], axes2=[len(sb) - 1])


@traced("outer")
def outer(a, b, out=None):
    a, b = ravel(lift(a)), ravel(lift(b))
    return multiply(reshape(a, (-1, 1)), reshape(b, (1, -1)))


@traced("kron")
def _kron(a, b):
    a, b = lift(a), lift(b)
    sa, sb = shape_of(a), shape_of(b)
    nd = max(len(sa), len(sb))
    sa = (1,) * (nd - len(sa)) + sa
    sb = (1,) * (nd - len(sb)) + sb
    a2 = reshape(a, tuple(v for s in sa for v in (s, 1)))
    b2 = reshape(b, tuple(v for s in sb for v in (1, s)))
    return reshape(multiply(a2, b2), tuple(x * y for x, y in zip(sa, sb)))


@traced("cross")
def _cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    a = moveaxis(lift(a), axisa, -1)
    b = moveaxis(lift(b), axisb, -1)
    if shape_of(a)[-1] != 3 or shape_of(b)[-1] != 3:
        raise NotImplementedError("autograd.numpy.cross: only 3-vectors on traced values")
    a0, a1, a2 = (a[..., i] for i in range(3))
    b0, b1, b2 = (b[..., i] for i in range(3))
    c = stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
    return moveaxis(c, -1, axisc)


# ------------------------------------------------------------ einsum

_EINSUM_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _einsum_parse(subscripts, ndims):
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        lhs, out = subscripts.split("->")
    else:
        lhs, out = subscripts, None
    terms = lhs.split(",")
    if len(terms) != len(ndims):
        raise ValueError("more operands provided to einstein sum function than specified in "
                         "the subscripts string" if len(ndims) > len(terms) else
                         "fewer operands provided to einstein sum function than specified in "
                         "the subscripts string")
    used = set(c for c in subscripts if c.isalpha())
    free = [c for c in _EINSUM_LETTERS if c not in used]
    n_ell = max([nd - (len(t) - 3) for t, nd in zip(terms, ndims) if "..." in t] or [0])
    ell = "".join(free[:n_ell])
    fixed = []
    for t, nd in zip(terms, ndims):
        if "..." in t:
            k = nd - (len(t) - 3)
            t = t.replace("...", ell[n_ell - k:] if k else "")
        if len(t) != nd:
            raise ValueError("einstein sum subscripts string contains too many subscripts "
                             "for operand {}".format(len(fixed)))
        fixed.append(t)
    if out is None:
        counts = {}
        for t in fixed:
            for c in t:
                counts[c] = counts.get(c, 0) + 1
        out = ell + "".join(sorted(c for c, k in counts.items() if k == 1 and c not in ell))
    else:
        out = out.replace("...", ell)
    return fixed, out


def _einsum_interleaved(args):
    """(op, sublist, op, sublist, ..., [out]) as (subscripts, operands)."""
    ops, terms = [], []
    args = list(args)
    out = None
    if len(args) % 2 == 1:
        out = args.pop()

    def letters(sub):
        return "".join("..." if s is Ellipsis else _EINSUM_LETTERS[s] for s in sub)
    for k in range(0, len(args), 2):
        ops.append(args[k])
        terms.append(letters(args[k + 1]))
    s = ",".join(terms) + ("->" + letters(out) if out is not None else "")
    return s, ops


@traced("einsum")
def einsum(*operands, out=None, optimize=False, **kwargs):
    """numpy.einsum as diagonals (gathers), sums, tensordots and broadcast
    products of the operands."""
    if out is not None:
        raise NotImplementedError("autograd.numpy.einsum: out= on traced values")
    if isinstance(operands[0], str):
        subscripts, ops = operands[0], list(operands[1:])
    else:
        subscripts, ops = _einsum_interleaved(operands)
    ops = [lift(o) for o in ops]
    terms, output = _einsum_parse(subscripts, [ndim_of(o) for o in ops])
    size = {}
    for t, o in zip(terms, ops):
        for c, n in zip(t, shape_of(o)):
            if size.get(c, 1) == 1:
                size[c] = n
            elif n not in (1, size[c]):
                raise ValueError("operands could not be broadcast together with remapped "
                                 "shapes [original->remapped]")
    # one operand at a time: diagonals of repeated letters, broadcasting
    items = []
    for t, o in zip(terms, ops):
        uniq = "".join(dict.fromkeys(t))
        if uniq != t:
            o = gather(o, _np.einsum(t + "->" + uniq, index_grid(shape_of(o))))
            t = uniq
        target = tuple(size[c] for c in t)
        if shape_of(o) != target:
            o = broadcast_to(o, target)
        items.append([o, t])

    def needed_after(k):
        s = set(output)
        for _, t in items[k:]:
            s.update(t)
        return s

    # letters used by a single operand and not kept are summed right away
    for k, it in enumerate(items):
        others = set(output)
        for j, (_, t) in enumerate(items):
            if j != k:
                others.update(t)
        drop = [i for i, c in enumerate(it[1]) if c not in others]
        if drop:
            it[0] = sum(it[0], axis=tuple(drop))
            it[1] = "".join(c for c in it[1] if c not in [it[1][i] for i in drop])
    cur, lc = items[0]
    for k in range(1, len(items)):
        nxt, ln = items[k]
        keep = needed_after(k + 1)
        shared = [c for c in lc if c in ln]
        contract = [c for c in shared if c not in keep]
        batch = [c for c in shared if c in keep]
        if not batch:
            cur = tensordot(cur, nxt, ([lc.index(c) for c in contract], [ln.index(c) for c in contract]))
            lc = "".join(c for c in lc if c not in contract) + "".join(c for c in ln if c not in contract)
        else:
            letters = lc + "".join(c for c in ln if c not in lc)
            prod_ = multiply(_einsum_align(cur, lc, letters, size), _einsum_align(nxt, ln, letters, size))
            axes = tuple(i for i, c in enumerate(letters) if c in contract)
            cur = sum(prod_, axis=axes) if axes else prod_
            lc = "".join(c for c in letters if c not in contract)
    extra = tuple(i for i, c in enumerate(lc) if c not in output)
    if extra:
        cur = sum(cur, axis=extra)
        lc = "".join(c for c in lc if c in output)
    return transpose(cur, [lc.index(c) for c in output])


def _einsum_align(x, letters, target, size):
    x = transpose(x, [letters.index(c) for c in target if c in letters])
    return reshape(x, tuple(size[c] if c in letters else 1 for c in target))
