//! Checks that can fail: for each family of the chapter's labelled
//! equations, deliberately broken copies of the kernel (a wrong sign, a
//! missing factor, a pair counted twice or not at all, a neighbour left out,
//! swapped arcs) run through the same check that the real kernel passes,
//! which must reject every one of them.

use ndarray::{Array2, ArrayView2};
use verified_dl::ising::maxflow::Graph;
use verified_dl::ising::model::{energy, Params};
use verified_dl::numerics::sigmoid;

use super::cut::{check_cut, crate_cut_graph, Construction};
use super::gibbs::{check_conditional, crate_conditional, Conditional};
use super::model::{
    check_energy, check_icm_neighbourhoods, check_local_diff, crate_energy, crate_flip_diff,
    crate_local_diff, crate_update, EnergyFn, Local, Update,
};

/// The neighbour sum with the right-hand neighbour left out (an off-by-one window).
fn sum_without_right(x: ArrayView2<i8>, (r, c): (usize, usize)) -> f64 {
    let (rows, _) = x.dim();
    let mut s = 0i32;
    if r > 0 {
        s += i32::from(x[(r - 1, c)]);
    }
    if r + 1 < rows {
        s += i32::from(x[(r + 1, c)]);
    }
    if c > 0 {
        s += i32::from(x[(r, c - 1)]);
    }
    f64::from(s)
}

/// The full neighbour sum, for mutants that break something else.
fn sum(x: ArrayView2<i8>, (r, c): (usize, usize)) -> f64 {
    let right = if c + 1 < x.ncols() {
        f64::from(x[(r, c + 1)])
    } else {
        0.0
    };
    sum_without_right(x, (r, c)) + right
}

// (ising.energy): three broken energies.
fn energy_pairs_twice(x: ArrayView2<i8>, y: ArrayView2<i8>, p: &Params) -> f64 {
    // the coupling over ordered pairs: each pair twice
    let coupling: f64 = x
        .indexed_iter()
        .map(|((r, c), &v)| f64::from(v) * sum(x, (r, c)))
        .sum();
    let field: f64 = x.iter().map(|&v| f64::from(v)).sum();
    let data: f64 = x.iter().zip(y).map(|(&a, &b)| f64::from(a * b)).sum();
    p.alpha() * field - p.beta() * coupling - p.eta() * data
}
fn energy_no_vertical_pairs(x: ArrayView2<i8>, y: ArrayView2<i8>, p: &Params) -> f64 {
    let (rows, cols) = x.dim();
    let mut coupling = 0.0;
    for r in 0..rows {
        for c in 0..cols.saturating_sub(1) {
            coupling += f64::from(x[(r, c)] * x[(r, c + 1)]);
        }
    }
    let field: f64 = x.iter().map(|&v| f64::from(v)).sum();
    let data: f64 = x.iter().zip(y).map(|(&a, &b)| f64::from(a * b)).sum();
    p.alpha() * field - p.beta() * coupling - p.eta() * data
}
fn energy_wrong_field_sign(x: ArrayView2<i8>, y: ArrayView2<i8>, p: &Params) -> f64 {
    let field: f64 = x.iter().map(|&v| f64::from(v)).sum();
    energy(x, y, p).unwrap() - 2.0 * p.alpha() * field
}

// (ising.local-diff) and (ising.flip-diff): four broken local differences.
fn local_wrong_beta_sign(
    x: ArrayView2<i8>,
    y: ArrayView2<i8>,
    p: &Params,
    m: (usize, usize),
) -> f64 {
    2.0 * p.alpha() + 2.0 * p.beta() * sum(x, m) - 2.0 * p.eta() * f64::from(y[m])
}
fn local_alpha_not_doubled(
    x: ArrayView2<i8>,
    y: ArrayView2<i8>,
    p: &Params,
    m: (usize, usize),
) -> f64 {
    p.alpha() - 2.0 * p.beta() * sum(x, m) - 2.0 * p.eta() * f64::from(y[m])
}
fn local_without_right(x: ArrayView2<i8>, y: ArrayView2<i8>, p: &Params, m: (usize, usize)) -> f64 {
    2.0 * p.alpha() - 2.0 * p.beta() * sum_without_right(x, m) - 2.0 * p.eta() * f64::from(y[m])
}
fn flip_wrong_sign(x: ArrayView2<i8>, y: ArrayView2<i8>, p: &Params, m: (usize, usize)) -> f64 {
    f64::from(x[m]) * crate_local_diff(x, y, p, m)
}

// (ising.icm): two broken updates.
fn update_backwards(x: &mut Array2<i8>, y: ArrayView2<i8>, p: &Params, m: (usize, usize)) {
    let d = crate_local_diff(x.view(), y, p, m);
    if d != 0.0 {
        x[m] = if d > 0.0 { 1 } else { -1 };
    }
}
fn update_without_right(x: &mut Array2<i8>, y: ArrayView2<i8>, p: &Params, m: (usize, usize)) {
    let d = local_without_right(x.view(), y, p, m);
    if d != 0.0 {
        x[m] = if d > 0.0 { -1 } else { 1 };
    }
}

// (ising.conditional): two broken conditionals.
fn conditional_wrong_sign(
    x: ArrayView2<i8>,
    y: ArrayView2<i8>,
    p: &Params,
    m: (usize, usize),
) -> f64 {
    sigmoid(crate_local_diff(x, y, p, m))
}
fn conditional_half(x: ArrayView2<i8>, y: ArrayView2<i8>, p: &Params, m: (usize, usize)) -> f64 {
    sigmoid(-crate_local_diff(x, y, p, m) / 2.0)
}

/// A copy of the cut construction, broken as `how` says.
fn construction(c: ArrayView2<f64>, beta: f64, how: &str) -> (Graph, f64) {
    let (rows, cols) = c.dim();
    let mut g = Graph::new(rows * cols).unwrap();
    let mut constant = 0.0;
    for ((r, col), &ci) in c.indexed_iter() {
        let (s, t) = (2.0 * (-ci).max(0.0), 2.0 * ci.max(0.0));
        let (s, t) = if how == "terminals swapped" {
            (t, s)
        } else {
            (s, t)
        };
        g.add_terminal(r * cols + col, s, t).unwrap();
        constant -= ci.abs();
    }
    let pair = if how == "pair capacity beta" {
        beta
    } else {
        2.0 * beta
    };
    let mut n_pairs = 0.0;
    for r in 0..rows {
        for col in 0..cols {
            let i = r * cols + col;
            if col + 1 < cols {
                g.add_edge(i, i + 1, pair, pair).unwrap();
                n_pairs += 1.0;
            }
            if r + 1 < rows {
                g.add_edge(i, i + cols, pair, pair).unwrap();
                n_pairs += 1.0;
            }
        }
    }
    if how != "constant without pairs" {
        constant -= beta * n_pairs;
    }
    (g, constant)
}
fn cut_terminals_swapped(c: ArrayView2<f64>, beta: f64) -> (Graph, f64) {
    construction(c, beta, "terminals swapped")
}
fn cut_pair_capacity_beta(c: ArrayView2<f64>, beta: f64) -> (Graph, f64) {
    construction(c, beta, "pair capacity beta")
}
fn cut_constant_without_pairs(c: ArrayView2<f64>, beta: f64) -> (Graph, f64) {
    construction(c, beta, "constant without pairs")
}
fn cut_copy(c: ArrayView2<f64>, beta: f64) -> (Graph, f64) {
    construction(c, beta, "unbroken")
}

#[test]
fn every_mutant_kernel_fails_the_check_the_real_one_passes() {
    let mut caught = 0usize;
    let mut total = 0usize;
    let mut verdict = |name: &str, worst: f64, real: f64| {
        assert_eq!(real, 0.0, "the real kernel fails the check of {name}");
        total += 1;
        if worst > 0.0 {
            caught += 1;
        } else {
            eprintln!("mutant not caught: {name}");
        }
    };
    // the exact checks: the real kernels differ by 0, every mutant by more
    let (real, _) = check_energy(crate_energy);
    for (name, e) in [
        ("energy: pairs twice", energy_pairs_twice as EnergyFn),
        ("energy: no vertical pairs", energy_no_vertical_pairs),
        ("energy: field sign", energy_wrong_field_sign),
    ] {
        verdict(name, check_energy(e).0, real);
    }
    let (real_local, real_flip, _, _) = check_local_diff(crate_local_diff, crate_flip_diff);
    for (name, k) in [
        ("local-diff: beta sign", local_wrong_beta_sign as Local),
        ("local-diff: alpha not doubled", local_alpha_not_doubled),
        ("local-diff: right neighbour missing", local_without_right),
    ] {
        verdict(name, check_local_diff(k, crate_flip_diff).0, real_local);
    }
    verdict(
        "flip-diff: sign",
        check_local_diff(crate_local_diff, flip_wrong_sign).1,
        real_flip,
    );
    let (real_wrong, _, _) = check_icm_neighbourhoods(crate_update);
    for (name, u) in [
        ("icm: backwards", update_backwards as Update),
        ("icm: right neighbour missing", update_without_right),
    ] {
        let (wrong, _, _) = check_icm_neighbourhoods(u);
        verdict(name, wrong as f64, real_wrong as f64);
    }
    let (real_cut, _, _) = check_cut(crate_cut_graph);
    assert_eq!(check_cut(cut_copy).0, 0.0, "the unbroken copy passes");
    for (name, b) in [
        (
            "cut: terminal arcs swapped",
            cut_terminals_swapped as Construction,
        ),
        ("cut: pair capacity beta", cut_pair_capacity_beta),
        (
            "cut: constant without the pairs",
            cut_constant_without_pairs,
        ),
    ] {
        verdict(name, check_cut(b).0, real_cut);
    }
    // the floating-point check: the real conditional within EXACT_TOL, the mutants far outside
    let (real_cond, _) = check_conditional(crate_conditional);
    assert!(real_cond <= verified_dl::check::EXACT_TOL);
    for (name, k) in [
        (
            "conditional: sigma(+Delta)",
            conditional_wrong_sign as Conditional,
        ),
        ("conditional: Delta halved", conditional_half),
    ] {
        let worst = check_conditional(k).0;
        verdict(
            name,
            if worst > verified_dl::check::EXACT_TOL {
                worst
            } else {
                0.0
            },
            0.0,
        );
    }
    assert_eq!(caught, total, "{caught} of {total} mutants caught");
    verified_dl::record!("ising.mutants-caught", caught as f64);
    verified_dl::record!("ising.mutants", total as f64);
}
