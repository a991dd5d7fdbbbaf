//! The checks can fail: for each family of labelled equations, deliberately
//! broken copies of the kernel (a wrong direction, an off-by-one axis, a
//! missing term, a transposed index, a wrong constant) are run through the
//! same check that the real kernel passes, and every one must be rejected.

use verified_dl::bayesnet::gaussian::LinearGaussian;
use verified_dl::bayesnet::quadrature::gauss_hermite;
use verified_dl::bayesnet::random::{random_dag, random_network, Shape};
use verified_dl::bayesnet::sampling::AncestralSampler;
use verified_dl::bayesnet::{example, parents_after_order, proof_steps, BayesNet, Rational, Table};
use verified_dl::check::{rel_err, seeded, SeededRng, EXACT_TOL};

use crate::errors::joint_by_reshaped_tables;

/// How many of the order check's DAGs, and how many random networks, the
/// checks of the mutants run on (the real checks run on more).
const MUTANT_DAGS: usize = 300;
const MUTANT_NETWORKS: usize = 60;

/// Counts the mutants of one family: each must fail the check the real
/// kernel passes.
#[derive(Default)]
struct Tally {
    mutants: usize,
    caught: usize,
}

impl Tally {
    fn mutant(&mut self, name: &str, passes: bool) {
        self.mutants += 1;
        self.caught += usize::from(!passes);
        assert!(!passes, "the mutant `{name}` passes the check");
    }
}

// ---------------------------------------------------------------- bayes.order

/// The check of `order_puts_parents_after_on_random_dags`, with its own test
/// of (bayes.order) by positions: every parent comes after its child, the
/// first node is childless and the last has no parents.
fn order_check(kernel: &dyn Fn(&[Vec<usize>]) -> Vec<usize>) -> bool {
    let mut rng = seeded(20);
    (0..MUTANT_DAGS).all(|trial| {
        let n = 1 + trial % 30;
        let parents = random_dag(&mut rng, n, 0.3, n).unwrap();
        let order = kernel(&parents);
        if order.len() != n {
            return false;
        }
        let mut pos = vec![usize::MAX; n];
        for (i, &k) in order.iter().enumerate() {
            pos[k] = i;
        }
        let after = (0..n).all(|k| parents[k].iter().all(|&j| pos[j] > pos[k]));
        after
            && parents.iter().all(|pa| !pa.contains(&order[0]))
            && parents[order[n - 1]].is_empty()
    })
}

/// A copy of the order algorithm; `wrong_direction` counts parents instead
/// of children (the transposed relation), `off_by_one` places a node that
/// still waits for one child.
fn order_copy(parents: &[Vec<usize>], wrong_direction: bool, off_by_one: bool) -> Vec<usize> {
    let n = parents.len();
    let mut children = vec![Vec::new(); n];
    for (k, pa) in parents.iter().enumerate() {
        for &j in pa {
            children[j].push(k);
        }
    }
    let (count_of, release): (&[Vec<usize>], &[Vec<usize>]) = if wrong_direction {
        (parents, &children)
    } else {
        (&children, parents)
    };
    let ready = if off_by_one { 1 } else { 0 };
    let mut waiting: Vec<usize> = count_of.iter().map(Vec::len).collect();
    let mut placed = vec![false; n];
    let mut order = Vec::new();
    while let Some(k) = (0..n).find(|&k| !placed[k] && waiting[k] <= ready) {
        placed[k] = true;
        order.push(k);
        for &j in &release[k] {
            waiting[j] = waiting[j].saturating_sub(1);
        }
    }
    order
}

fn order_mutants() -> Tally {
    assert!(order_check(&|p| parents_after_order(p).unwrap()));
    assert!(order_check(&|p| order_copy(p, false, false)));
    let mut tally = Tally::default();
    tally.mutant(
        "parents first (the order reversed)",
        order_check(&|p| {
            let mut o = parents_after_order(p).unwrap();
            o.reverse();
            o
        }),
    );
    tally.mutant(
        "the numbering as the order",
        order_check(&|p| (0..p.len()).collect()),
    );
    tally.mutant(
        "counting parents, not children",
        order_check(&|p| order_copy(p, true, false)),
    );
    tally.mutant(
        "placing a node that waits for one child",
        order_check(&|p| order_copy(p, false, true)),
    );
    record_family("order", &tally);
    tally
}

// ------------------------------------ bayes.sum-out, bayes.induction, bayes.childless

type SumOut<'a> = dyn Fn(&Table<f64>, usize) -> Table<f64> + 'a;

/// The check of `proof_steps_leave_the_smaller_factorization`: after each
/// step, the remaining table equals the joint of the smaller network within
/// `EXACT_TOL`; and of `childless_marginal_is_the_network_without_it`.
fn sum_out_check(kernel: &SumOut<'_>) -> bool {
    let shape = Shape::new(8, 2, 4, 3, 1 << 12).unwrap();
    let mut rng = seeded(22);
    let cases = crate::strata::proof_cases();
    let nets = crate::strata::stratified(&mut rng, MUTANT_NETWORKS, &cases, |r| {
        random_network(r, shape).unwrap()
    });
    nets.iter().all(|net| {
        let net = net.clone();
        let names: Vec<usize> = (0..net.len()).collect();
        let joint = Table::joint(&net, &names).unwrap();
        let mut remaining = joint.clone();
        let steps_ok = proof_steps(&net).unwrap().into_iter().all(|step| {
            remaining = kernel(&remaining, step.summed);
            let want = Table::joint(&step.rest, &step.names).unwrap();
            remaining.vars() == want.vars()
                && remaining.values().len() == want.values().len()
                && remaining
                    .values()
                    .iter()
                    .zip(want.values())
                    .all(|(a, b)| rel_err(*a, *b) <= EXACT_TOL)
        });
        let childless_ok = (0..net.len())
            .filter(|&k| net.children(k).unwrap().is_empty())
            .all(|k| {
                let got = kernel(&joint, k);
                let rest: Vec<usize> = names.iter().copied().filter(|&j| j != k).collect();
                let want = Table::joint(&net.without(k).unwrap(), &rest).unwrap();
                got.values()
                    .iter()
                    .zip(want.values())
                    .all(|(a, b)| rel_err(*a, *b) <= EXACT_TOL)
            });
        steps_ok && childless_ok && remaining.values().len() == 1
    })
}

/// A copy of `Table::sum_out`: `axis` is the position summed (the right one,
/// or a mutant's), `values` the values of the summed variable it adds.
fn sum_out_copy(
    table: &Table<f64>,
    var: usize,
    axis: impl Fn(usize, usize) -> usize,
    values: impl Fn(usize) -> std::ops::Range<usize>,
    stride: impl Fn(&[usize], usize) -> usize,
) -> Table<f64> {
    let right = table.vars().iter().position(|&v| v == var).unwrap();
    let pos = axis(right, table.vars().len());
    let arity = table.arity();
    let inner = stride(arity, pos);
    let a = arity[pos];
    let len = table.values().len();
    let outer = len / (a * inner).max(1);
    let mut out = Vec::new();
    for o in 0..outer {
        for i in 0..inner {
            out.push(
                values(a)
                    .map(|v| table.values()[((o * a + v) * inner + i) % len])
                    .sum(),
            );
        }
    }
    let mut vars = table.vars().to_vec();
    let mut ar = arity.to_vec();
    vars.remove(right);
    ar.remove(right);
    let entries: usize = ar.iter().product();
    out.resize(entries, 0.0);
    Table::new(vars, ar, out).unwrap()
}

fn right_stride(arity: &[usize], pos: usize) -> usize {
    arity[pos + 1..].iter().product()
}

fn sum_out_mutants() -> Tally {
    assert!(sum_out_check(&|t, v| t.sum_out(v).unwrap()));
    assert!(sum_out_check(&|t, v| sum_out_copy(
        t,
        v,
        |p, _| p,
        |a| 0..a,
        right_stride
    )));
    let mut tally = Tally::default();
    tally.mutant(
        "the next axis summed (off by one)",
        sum_out_check(&|t, v| sum_out_copy(t, v, |p, n| (p + 1) % n, |a| 0..a, right_stride)),
    );
    tally.mutant(
        "the last value left out of the sum",
        sum_out_check(&|t, v| sum_out_copy(t, v, |p, _| p, |a| 0..a - 1, right_stride)),
    );
    tally.mutant(
        "the stride of the axis off by one window",
        sum_out_check(&|t, v| {
            sum_out_copy(t, v, |p, _| p, |a| 0..a, |ar, p| ar[p..].iter().product())
        }),
    );
    tally.mutant(
        "the first value counted twice",
        sum_out_check(&|t, v| {
            let mut s = t.sum_out(v).unwrap();
            let first = sum_out_copy(t, v, |p, _| p, |_| 0..1, right_stride);
            let values: Vec<f64> = s
                .values()
                .iter()
                .zip(first.values())
                .map(|(a, b)| a + b)
                .collect();
            s = Table::new(s.vars().to_vec(), s.arity().to_vec(), values).unwrap();
            s
        }),
    );
    record_family("sum-out", &tally);
    tally
}

// ------------------------------------------------- bayes.total and the rows

/// The row of node k's table that a joint or a sampler reads at x.
type Row = dyn Fn(&BayesNet<f64>, usize, &[usize]) -> usize;

/// A copy of the joint at `x`: the product of one entry per table, the row
/// of node `k` given by `row(net, k, x)`; `skip` leaves one factor out.
fn joint_copy(
    net: &BayesNet<f64>,
    x: &[usize],
    row: &Row,
    skip: Option<usize>,
    square_first: bool,
) -> f64 {
    (0..net.len())
        .filter(|&k| Some(k) != skip)
        .map(|k| {
            let p = net.table(k).unwrap()[(row(net, k, x), x[k])];
            if square_first && k == 0 {
                p * p
            } else {
                p
            }
        })
        .product()
}

/// Mixed radix over the parents as listed (the right row), or reversed.
fn row_copy(net: &BayesNet<f64>, k: usize, x: &[usize], reversed: bool) -> usize {
    let mut parents = net.parents(k).unwrap().to_vec();
    if reversed {
        parents.reverse();
    }
    parents.iter().fold(0, |r, &j| r * net.arity()[j] + x[j])
}

type Joint<'a> = dyn Fn(&BayesNet<f64>, &[usize]) -> f64 + 'a;

/// The checks of the joint: the total by enumeration is 1 within `EXACT_TOL`
/// (`total_by_enumeration_is_one`), and every value equals the product of
/// the entries that ndarray's row-major reshape of each table selects
/// (`rows_are_row_major_over_the_parents_as_listed`).
fn joint_check(kernel: &Joint<'_>) -> bool {
    let shape = Shape::new(6, 2, 4, 3, 1 << 10).unwrap();
    let mut rng = seeded(23);
    let cases = crate::strata::proof_cases();
    let nets = crate::strata::stratified(&mut rng, MUTANT_NETWORKS, &cases, |r| {
        random_network(r, shape).unwrap()
    });
    nets.into_iter().all(|net| {
        let configs: Vec<Vec<usize>> = verified_dl::bayesnet::joint::configurations(net.arity())
            .unwrap()
            .collect();
        let total: f64 = configs.iter().map(|x| kernel(&net, x)).sum();
        let rows_ok = configs
            .iter()
            .all(|x| rel_err(kernel(&net, x), joint_by_reshaped_tables(&net, x)) <= EXACT_TOL);
        rel_err(total, 1.0) <= EXACT_TOL && rows_ok
    })
}

fn joint_mutants() -> Tally {
    assert!(joint_check(&|net, x| net.joint(x).unwrap()));
    let right = |net: &BayesNet<f64>, k: usize, x: &[usize]| row_copy(net, k, x, false);
    assert!(joint_check(&|net, x| joint_copy(
        net, x, &right, None, false
    )));
    let mut tally = Tally::default();
    tally.mutant(
        "the parents' order transposed in the row index",
        joint_check(&|net, x| joint_copy(net, x, &|n, k, x| row_copy(n, k, x, true), None, false)),
    );
    tally.mutant(
        "the last node's factor missing",
        joint_check(&|net, x| joint_copy(net, x, &right, Some(net.len() - 1), false)),
    );
    tally.mutant(
        "the first node's factor squared",
        joint_check(&|net, x| joint_copy(net, x, &right, None, true)),
    );
    tally.mutant(
        "every row the first",
        joint_check(&|net, x| joint_copy(net, x, &|_, _, _| 0, None, false)),
    );
    record_family("joint", &tally);
    tally
}

// ---------------------------------------------------------------- bayes.cycle

/// The check of `cyclic_factorization_does_not_sum_to_one`: the total of the
/// two-node cycle equals 1 + (2 theta - 1)^2 exactly on theta = i / 20.
fn cycle_check(kernel: &dyn Fn(Rational) -> Rational) -> bool {
    let r = |n, d| Rational::new(n, d).unwrap();
    (0..=20).all(|i| {
        let d = r(2 * i - 20, 20);
        kernel(r(i, 20))
            == Rational::ONE
                .checked_add(d.checked_mul(d).unwrap())
                .unwrap()
    })
}

/// A copy of the cycle's total: `skip` leaves one configuration (a, b) out,
/// `complement` is what p(a != b | b) is taken to be.
fn cycle_copy(
    theta: Rational,
    skip: Option<(usize, usize)>,
    complement: impl Fn(Rational) -> Rational,
) -> Rational {
    let not = complement(theta);
    let p = |x: usize, given: usize| if x == given { theta } else { not };
    let mut total = Rational::ZERO;
    for a in 0..2 {
        for b in 0..2 {
            if Some((a, b)) != skip {
                total = total
                    .checked_add(p(a, b).checked_mul(p(b, a)).unwrap())
                    .unwrap();
            }
        }
    }
    total
}

fn cycle_mutants() -> Tally {
    let one_minus = |t: Rational| {
        Rational::ONE
            .checked_add(Rational::int(-1).checked_mul(t).unwrap())
            .unwrap()
    };
    assert!(cycle_check(&|t| cycle_copy(t, None, one_minus)));
    let mut tally = Tally::default();
    tally.mutant(
        "the configuration (1, 0) left out",
        cycle_check(&|t| cycle_copy(t, Some((1, 0)), one_minus)),
    );
    tally.mutant(
        "p(a != b | b) taken as theta",
        cycle_check(&|t| cycle_copy(t, None, |t| t)),
    );
    tally.mutant(
        "p(a != b | b) taken as 1/2",
        cycle_check(&|t| cycle_copy(t, None, |_| Rational::new(1, 2).unwrap())),
    );
    record_family("cycle", &tally);
    tally
}

// --------------------------------------------------------- bayes.gauss-hermite

/// The check of `gauss_hermite_is_exact_to_degree_2n_minus_1`: n nodes,
/// every moment of degree below 2n exact within `EXACT_TOL` relative to the
/// size of its terms, and the moment of degree 2n short by n! sqrt(pi) / 2^n.
fn gauss_hermite_check(kernel: &dyn Fn(usize) -> (Vec<f64>, Vec<f64>)) -> bool {
    let moment = |m: usize| -> f64 {
        if m % 2 == 1 {
            return 0.0;
        }
        (0..m / 2).fold(std::f64::consts::PI.sqrt(), |acc, i| {
            acc * (2 * i + 1) as f64 / 2.0
        })
    };
    (1..=30).all(|n| {
        let (t, w) = kernel(n);
        if t.len() != n || w.len() != n {
            return false;
        }
        let quad = |m: usize| -> f64 {
            t.iter()
                .zip(&w)
                .map(|(&ti, &wi)| wi * ti.powi(m as i32))
                .sum()
        };
        let exact = (0..2 * n).all(|m| {
            let size: f64 = t
                .iter()
                .zip(&w)
                .map(|(&ti, &wi)| wi * ti.abs().powi(m as i32))
                .sum();
            (quad(m) - moment(m)).abs() / size.max(1.0) <= EXACT_TOL
        });
        let factorial: f64 = (1..=n).map(|i| i as f64).product();
        let error = factorial * std::f64::consts::PI.sqrt() / 2f64.powi(n as i32);
        exact && rel_err(quad(2 * n), moment(2 * n) - error) <= EXACT_TOL
    })
}

fn gauss_hermite_mutants() -> Tally {
    assert!(gauss_hermite_check(&|n| gauss_hermite(n).unwrap()));
    let mut tally = Tally::default();
    tally.mutant(
        "weights off by one part in 1e9",
        gauss_hermite_check(&|n| {
            let (t, w) = gauss_hermite(n).unwrap();
            (t, w.iter().map(|w| w * (1.0 + 1e-9)).collect())
        }),
    );
    tally.mutant(
        "nodes off by one part in 1e9",
        gauss_hermite_check(&|n| {
            let (t, w) = gauss_hermite(n).unwrap();
            (t.iter().map(|t| t * (1.0 + 1e-9)).collect(), w)
        }),
    );
    tally.mutant(
        "two weights transposed",
        gauss_hermite_check(&|n| {
            let (t, mut w) = gauss_hermite(n).unwrap();
            let last = w.len() - 1;
            w.swap(0, last / 2);
            (t, w)
        }),
    );
    tally.mutant(
        "the rule of n + 1 nodes with its largest node dropped",
        gauss_hermite_check(&|n| {
            let (mut t, mut w) = gauss_hermite(n + 1).unwrap();
            t.remove(0);
            w.remove(0);
            (t, w)
        }),
    );
    record_family("gauss-hermite", &tally);
    tally
}

// ------------------------------------- bayes.gaussian-step, bayes.gaussian-total

/// The chapter's three-node example.
fn three_nodes() -> LinearGaussian {
    example::three_node_example().unwrap()
}

/// One conditional density, N(x; mean, sigma^2), as the mutants change it.
#[derive(Clone, Copy)]
enum Factor {
    Right,
    /// sigma^2 in place of sigma in the normalizing constant.
    VarianceForSigma,
    /// the 1 / sqrt(2 pi) left out.
    NoConstant,
    /// sigma in place of sigma^2 in the exponent.
    SigmaInExponent,
}

fn factor(kind: Factor, x: f64, mean: f64, sigma: f64) -> f64 {
    let z = (x - mean) / sigma;
    let c = 1.0 / (2.0 * std::f64::consts::PI).sqrt();
    match kind {
        Factor::Right => c / sigma * (-0.5 * z * z).exp(),
        Factor::VarianceForSigma => c / (sigma * sigma) * (-0.5 * z * z).exp(),
        Factor::NoConstant => (-0.5 * z * z).exp() / sigma,
        Factor::SigmaInExponent => c / sigma * (-0.5 * (x - mean).powi(2) / sigma).exp(),
    }
}

/// A copy of the density with factor `kind` at node `node`; `skip` leaves
/// that node's factor out instead.
fn density_copy(model: &LinearGaussian, x: &[f64], node: usize, kind: Factor, skip: bool) -> f64 {
    (0..model.len())
        .filter(|&k| !(skip && k == node))
        .map(|k| {
            let kind = if k == node { kind } else { Factor::Right };
            factor(
                kind,
                x[k],
                model.conditional_mean(k, x).unwrap(),
                model.sigma(k).unwrap(),
            )
        })
        .product()
}

/// The checks of the continuous case with the density `kernel`: its total on
/// the tensor-product Gauss-Hermite grid of 40 nodes per axis (placed by the
/// marginal moments) is 1 within `QUAD_TOL`, and each conditional, read off
/// as the density over the density without its node's factor, integrates to
/// 1 on its fixed axis at sampled parent values.
fn gaussian_check(
    kernel: &dyn Fn(&[f64]) -> f64,
    conditional: &dyn Fn(&[f64], usize) -> f64,
) -> bool {
    const QUAD_TOL: f64 = 1e-10;
    let model = three_nodes();
    let (mean, cov) = model.moments().unwrap();
    let (t, w) = gauss_hermite(40).unwrap();
    let scale: Vec<f64> = (0..3)
        .map(|k| std::f64::consts::SQRT_2 * cov[(k, k)].sqrt())
        .collect();
    let mut total = 0.0;
    for (&ta, &wa) in t.iter().zip(&w) {
        for (&tb, &wb) in t.iter().zip(&w) {
            for (&tc, &wc) in t.iter().zip(&w) {
                let x = [
                    mean[0] + scale[0] * ta,
                    mean[1] + scale[1] * tb,
                    mean[2] + scale[2] * tc,
                ];
                let e = (ta * ta + tb * tb + tc * tc).exp();
                total += wa * wb * wc * e * kernel(&x) * scale.iter().product::<f64>();
            }
        }
    }
    let total_ok = (total - 1.0).abs() <= QUAD_TOL;
    let mut rng = seeded(30);
    let step_ok = (0..20).all(|_| {
        let u = verified_dl::check::uniform(&mut rng, 3, -2.0, 2.0).unwrap();
        let mut x: Vec<f64> = (0..3)
            .map(|k| mean[k] + u[k] * cov[(k, k)].sqrt())
            .collect();
        (0..3).all(|k| {
            let s: f64 = t
                .iter()
                .zip(&w)
                .map(|(&tk, &wk)| {
                    x[k] = mean[k] + scale[k] * tk;
                    wk * (tk * tk).exp() * scale[k] * conditional(&x, k)
                })
                .sum();
            (s - 1.0).abs() <= QUAD_TOL
        })
    });
    total_ok && step_ok
}

fn gaussian_mutants() -> Tally {
    let model = three_nodes();
    let m = &model;
    let cond = |kind: Factor, node: usize| {
        move |x: &[f64], k: usize| {
            let kind = if k == node { kind } else { Factor::Right };
            factor(
                kind,
                x[k],
                m.conditional_mean(k, x).unwrap(),
                m.sigma(k).unwrap(),
            )
        }
    };
    let right_cond = cond(Factor::Right, 0);
    assert!(gaussian_check(&|x| model.density(x).unwrap(), &right_cond));
    assert!(gaussian_check(
        &|x| density_copy(m, x, 0, Factor::Right, false),
        &right_cond
    ));
    let mut tally = Tally::default();
    for (name, kind, node) in [
        (
            "sigma^2 for sigma in the constant of x_2",
            Factor::VarianceForSigma,
            1,
        ),
        (
            "no 1/sqrt(2 pi) in the factor of x_1",
            Factor::NoConstant,
            0,
        ),
        (
            "sigma for sigma^2 in the exponent of x_3",
            Factor::SigmaInExponent,
            2,
        ),
    ] {
        tally.mutant(
            name,
            gaussian_check(
                &|x| density_copy(m, x, node, kind, false),
                &cond(kind, node),
            ),
        );
    }
    tally.mutant(
        "the factor of x_2 missing",
        gaussian_check(
            &|x| density_copy(m, x, 1, Factor::Right, true),
            &|x: &[f64], k| if k == 1 { 1.0 } else { right_cond(x, k) },
        ),
    );
    record_family("gaussian", &tally);
    tally
}

// ------------------------------------------------------------- bayes.sampling

type Draw<'a> = dyn Fn(&BayesNet<f64>, &mut SeededRng) -> Vec<usize> + 'a;

/// The check of `ancestral_sampling_reproduces_the_joint`, on the same
/// networks with the same draws: the sprinkler network (in `f64`) and the
/// stratified random networks; every configuration's count within
/// `SAMPLING_Z` standard deviations, an impossible one never drawn.
fn sampling_check(draw: &Draw<'_>) -> bool {
    let sprinkler = example::sprinkler().unwrap().map(|p| p.to_f64()).unwrap();
    let mut nets = vec![(sprinkler, 200_000usize)];
    nets.extend(
        crate::network::sampling_networks()
            .into_iter()
            .map(|net| (net, crate::network::SAMPLED_DRAWS)),
    );
    nets.iter().enumerate().all(|(i, (net, draws))| {
        let mut rng = seeded(200 + i as u64);
        crate::network::worst_z_with(net, *draws, |_| draw(net, &mut rng)).0
            <= crate::network::SAMPLING_Z
    })
}

/// A copy of the sampler: `order` is the order the nodes are drawn in,
/// `row` the row read for node k, `pick` turns the row and u into a value.
fn draw_copy(
    net: &BayesNet<f64>,
    rng: &mut SeededRng,
    order: &[usize],
    row: &Row,
    off_by_one: bool,
) -> Vec<usize> {
    use rand::RngExt;
    let mut x = vec![0; net.len()];
    for &k in order {
        let table = net.table(k).unwrap();
        let r = row(net, k, &x);
        let u: f64 = rng.random();
        let mut cumulative = 0.0;
        let mut value = table.ncols() - 1;
        for v in 0..table.ncols() {
            cumulative += table[(r, v)];
            if u < cumulative {
                value = if off_by_one {
                    (v + 1).min(table.ncols() - 1)
                } else {
                    v
                };
                break;
            }
        }
        x[k] = value;
    }
    x
}

fn row_of(net: &BayesNet<f64>, k: usize, x: &[usize], reversed: bool) -> usize {
    let mut parents = net.parents(k).unwrap().to_vec();
    if reversed {
        parents.reverse();
    }
    parents.iter().fold(0, |r, &j| r * net.arity()[j] + x[j])
}

fn parents_first(net: &BayesNet<f64>) -> Vec<usize> {
    let mut o = parents_after_order(net.parent_lists()).unwrap();
    o.reverse();
    o
}

fn sampling_mutants() -> Tally {
    assert!(sampling_check(&|net, rng| {
        AncestralSampler::new(net).unwrap().draw(rng)
    }));
    let right = |n: &BayesNet<f64>, k: usize, x: &[usize]| row_of(n, k, x, false);
    assert!(sampling_check(&|net, rng| {
        draw_copy(net, rng, &parents_first(net), &right, false)
    }));
    let mut tally = Tally::default();
    tally.mutant(
        "children drawn before their parents (the proof's order)",
        sampling_check(&|net, rng| {
            let order = parents_after_order(net.parent_lists()).unwrap();
            draw_copy(net, rng, &order, &right, false)
        }),
    );
    tally.mutant(
        "every node from its first row",
        sampling_check(&|net, rng| draw_copy(net, rng, &parents_first(net), &|_, _, _| 0, false)),
    );
    tally.mutant(
        "the parents' order transposed in the sampler's row index",
        sampling_check(&|net, rng| {
            draw_copy(
                net,
                rng,
                &parents_first(net),
                &|n, k, x| row_of(n, k, x, true),
                false,
            )
        }),
    );
    tally.mutant(
        "the inverse cumulative sum off by one value",
        sampling_check(&|net, rng| draw_copy(net, rng, &parents_first(net), &right, true)),
    );
    record_family("sampling", &tally);
    tally
}

// ---------------------------------------------------------------- the record

/// Records one family's mutants; `every_mutant_is_caught` records the total.
fn record_family(family: &str, tally: &Tally) {
    assert_eq!(tally.caught, tally.mutants);
    assert!(tally.mutants > 0);
    verified_dl::record!(&format!("bayesnet.mutants.{family}"), tally.mutants as f64);
    verified_dl::record!(
        &format!("bayesnet.mutants-caught.{family}"),
        tally.caught as f64
    );
}

#[test]
fn every_mutant_is_caught() {
    let families = [
        order_mutants(),
        sum_out_mutants(),
        joint_mutants(),
        cycle_mutants(),
        gauss_hermite_mutants(),
        gaussian_mutants(),
        sampling_mutants(),
    ];
    let mutants: usize = families.iter().map(|t| t.mutants).sum();
    let caught: usize = families.iter().map(|t| t.caught).sum();
    assert_eq!(caught, mutants);
    verified_dl::record!("bayesnet.mutants", mutants as f64);
    verified_dl::record!("bayesnet.mutants-caught", caught as f64);
    verified_dl::record!("bayesnet.mutants.dags", MUTANT_DAGS as f64);
    verified_dl::record!("bayesnet.mutants.networks", MUTANT_NETWORKS as f64);
}
