//! Bad input is an error that names the value; and the exact rationals.

use ndarray::{arr2, Array2};
use rand::RngExt;
use verified_dl::bayesnet::{BayesNet, Rational, Table};
use verified_dl::check::{rel_err, seeded, EXACT_TOL};
use verified_dl::Error;

fn uniform_table(rows: usize, arity: usize) -> Array2<f64> {
    Array2::from_elem((rows, arity), 1.0 / arity as f64)
}

/// A valid network: node 0 (arity 3) with parents [2, 1], node 1 (arity 2)
/// with parent [2], node 2 (arity 2) a root.
fn valid() -> (Vec<usize>, Vec<Vec<usize>>, Vec<Array2<f64>>) {
    (
        vec![3, 2, 2],
        vec![vec![2, 1], vec![2], vec![]],
        vec![
            uniform_table(4, 3),
            uniform_table(2, 2),
            uniform_table(1, 2),
        ],
    )
}

#[test]
fn a_valid_network_builds() {
    let (a, p, t) = valid();
    let net = BayesNet::new(a, p, t).unwrap();
    assert_eq!(net.children(2).unwrap(), &[0, 1]);
    // Row of node 0 at x_2 = 1, x_1 = 0: first parent (node 2) slowest: 1 * 2 + 0.
    assert_eq!(net.row(0, &[0, 0, 1]).unwrap(), 2);
}

#[test]
fn structural_errors_name_the_node() {
    let (a, p, t) = valid();
    let err = BayesNet::new(a.clone(), p[..2].to_vec(), t.clone()).unwrap_err();
    assert!(
        matches!(err, Error::ShapeMismatch { ref what, .. } if what == "number of parent lists"),
        "{err}"
    );

    let mut a0 = a.clone();
    a0[1] = 0;
    let err = BayesNet::new(a0, p.clone(), t.clone()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "arity of node 1 = 0 is invalid: a variable needs at least one value"
    );

    let mut p1 = p.clone();
    p1[1] = vec![5];
    let err = BayesNet::new(a.clone(), p1, t.clone()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "parents of node 1 at index [0] is 5, but must be a node in 0..3"
    );

    let mut p2 = p.clone();
    p2[2] = vec![2];
    assert_eq!(
        BayesNet::new(a.clone(), p2, t.clone()).unwrap_err(),
        Error::Cycle { nodes: vec![2] }
    );

    let mut p3 = p.clone();
    p3[0] = vec![2, 2];
    let err = BayesNet::new(a.clone(), p3, t.clone()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "parents of node 0 at index [1] is 2, but must be a node not listed before (node 0 lists parent 2 twice)"
    );

    // Node 2 made a child of node 0, which is already its child: the cycle 0 -> 2 -> 0.
    let mut p4 = p.clone();
    p4[2] = vec![0];
    let mut t4 = t.clone();
    t4[2] = uniform_table(3, 2);
    let err = BayesNet::new(a.clone(), p4, t4).unwrap_err();
    let Error::Cycle { nodes } = &err else {
        panic!("expected a cycle, got {err}")
    };
    let mut sorted = nodes.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, vec![0, 2]);
    assert!(err
        .to_string()
        .starts_with("the graph has a directed cycle through nodes"));
}

#[test]
fn table_errors_name_the_node_and_the_row() {
    let (a, p, t) = valid();

    let mut t1 = t.clone();
    t1[0] = uniform_table(3, 3); // node 0 needs 2 * 2 = 4 rows
    let err = BayesNet::new(a.clone(), p.clone(), t1).unwrap_err();
    assert_eq!(
        err.to_string(),
        "table p(x_0 | parents [2, 1]) of node 0: expected shape [4, 3], found [3, 3]"
    );

    let mut t2 = t.clone();
    t2[1] = arr2(&[[0.5, 0.5], [1.5, -0.5]]);
    let err = BayesNet::new(a.clone(), p.clone(), t2).unwrap_err();
    assert_eq!(
        err.to_string(),
        "table p(x_1 | parents [2]) of node 1 at index [1, 1] is -0.5, but must be a probability, at least 0"
    );

    let mut t3 = t.clone();
    t3[1] = arr2(&[[0.5, 0.5], [f64::NAN, 0.5]]);
    let err = BayesNet::new(a.clone(), p.clone(), t3).unwrap_err();
    assert!(
        matches!(err, Error::NonFinite { ref index, .. } if index == &vec![1, 0]),
        "{err}"
    );

    let mut t4 = t.clone();
    t4[0][(3, 2)] = 0.5; // row 3 = (x_2, x_1) = (1, 1) now sums to 2/3 + 1/2
    let err = BayesNet::new(a.clone(), p.clone(), t4).unwrap_err();
    let Error::NotNormalized { row, sum, .. } = &err else {
        panic!("expected NotNormalized, got {err}")
    };
    assert_eq!(row, &vec![1, 1]);
    assert!(rel_err(*sum, 2.0 / 3.0 + 0.5) <= EXACT_TOL);
    assert!(
        err.to_string()
            .starts_with("table p(x_0 | parents [2, 1]) of node 0, row [1, 1], sums to"),
        "{err}"
    );

    // The tolerance is 1e-12: 1e-13 off passes, 1e-11 off fails.
    for (off, ok) in [(1e-13, true), (1e-11, false)] {
        let mut t5 = t.clone();
        t5[2] = arr2(&[[0.5 + off, 0.5]]);
        assert_eq!(
            BayesNet::new(a.clone(), p.clone(), t5).is_ok(),
            ok,
            "off by {off:e}"
        );
    }

    // Exact tables are exact: 1/3 + 1/3 + 1/3 is 1, 1/3 + 1/3 + 333/1000 is not.
    let third = Rational::new(1, 3).unwrap();
    assert!(BayesNet::new(vec![3], vec![vec![]], vec![arr2(&[[third, third, third]])]).is_ok());
    let near = Rational::new(333, 1000).unwrap();
    let err =
        BayesNet::new(vec![3], vec![vec![]], vec![arr2(&[[third, third, near]])]).unwrap_err();
    assert!(
        matches!(err, Error::NotNormalized { tolerance, .. } if tolerance == 0.0),
        "{err}"
    );
}

#[test]
fn assignments_and_tables_are_checked() {
    let (a, p, t) = valid();
    let net = BayesNet::new(a, p, t).unwrap();
    let err = net.joint(&[0, 2, 0]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "assignment x at index [1] is 2, but must be a value of node 1 in 0..2"
    );
    assert!(matches!(
        net.joint(&[0, 0]),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(rel_err(net.joint(&[2, 1, 0]).unwrap(), 1.0 / 12.0) <= EXACT_TOL);

    let err = net.without(2).unwrap_err();
    assert_eq!(
        err.to_string(),
        "node is 2, but must be a childless node (node 2 has children [0, 1], so it cannot be summed out alone)"
    );
    assert!(net.without(7).is_err());

    let table = Table::joint(&net, &[0, 1, 2]).unwrap();
    assert!(table
        .sum_out(5)
        .unwrap_err()
        .to_string()
        .contains("var is 5, but must be one of the table's variables [0, 1, 2]"));
    assert!(matches!(table.get(&[3, 0, 0]), Err(Error::BadValue { .. })));
    assert!(Table::joint(&net, &[0, 2, 1]).is_err());
}

#[test]
fn rationals_are_exact_and_checked() {
    let r = |n, d| Rational::new(n, d).unwrap();
    assert_eq!(r(6, -4), r(-3, 2));
    assert_eq!((r(6, -4).num(), r(6, -4).den()), (-3, 2));
    assert_eq!(r(1, 3).checked_add(r(1, 6)).unwrap(), r(1, 2));
    assert_eq!(r(2, 3).checked_mul(r(9, 4)).unwrap(), r(3, 2));
    assert_eq!(r(1, 3).to_string(), "1/3");
    assert!(r(1, 3) < r(34, 100));
    assert!(Rational::new(1, 0)
        .unwrap_err()
        .to_string()
        .contains("zero denominator"));

    let big = Rational::int(i128::MAX / 2 + 1);
    let err = big.checked_mul(Rational::int(2)).unwrap_err();
    assert!(
        matches!(err, Error::OutOfRange { .. }) && err.argument() == Some("other"),
        "{err}"
    );
    assert!(big.checked_add(big).is_err());
    let tiny = r(1, i128::MAX);
    assert!(tiny.checked_add(r(1, i128::MAX - 1)).is_err());

    // Against f64 on random fractions with small terms: the rational result,
    // rounded once, agrees with the f64 computation to a few ulps.
    let mut rng = seeded(40);
    let mut worst = 0.0f64;
    for _ in 0..10_000 {
        let (a, b) = (
            r(rng.random_range(-50..50), rng.random_range(1..50)),
            r(rng.random_range(-50..50), rng.random_range(1..50)),
        );
        worst = worst.max(rel_err(
            a.checked_add(b).unwrap().to_f64(),
            a.to_f64() + b.to_f64(),
        ));
        worst = worst.max(rel_err(
            a.checked_mul(b).unwrap().to_f64(),
            a.to_f64() * b.to_f64(),
        ));
    }
    assert!(worst <= EXACT_TOL, "worst {worst:e}");
}

/// p(x) as the product of the tables, each reshaped by ndarray (row-major)
/// to (r_{pa_1}, ..., r_{pa_m}, r_k) and indexed by the parents' values as
/// listed, then x_k: an independent reading of the row convention.
pub(super) fn joint_by_reshaped_tables(net: &BayesNet, x: &[usize]) -> f64 {
    let mut joint = 1.0;
    for k in 0..net.len() {
        let parents = net.parents(k).unwrap();
        let mut dims: Vec<usize> = parents.iter().map(|&j| net.arity()[j]).collect();
        dims.push(net.arity()[k]);
        let table = net
            .table(k)
            .unwrap()
            .clone()
            .into_shape_with_order(dims)
            .unwrap();
        let mut index: Vec<usize> = parents.iter().map(|&j| x[j]).collect();
        index.push(x[k]);
        joint *= table[index.as_slice()];
    }
    joint
}

#[test]
fn rows_are_row_major_over_the_parents_as_listed() {
    // Every total is 1 whatever map from parent values to rows is used, so
    // the totals cannot check the row convention; this test does, against
    // ndarray's own row-major reshape of each table to the shape
    // (r_{pa_1}, ..., r_{pa_m}, r_k), indexed by the parents' values as listed.
    use verified_dl::bayesnet::random::{random_network, Shape};
    let shape = Shape::new(8, 2, 4, 3, 1 << 12).unwrap();
    let mut rng = seeded(41);
    let mut checked = 0usize;
    for _ in 0..200 {
        let net = random_network(&mut rng, shape).unwrap();
        for x in verified_dl::bayesnet::joint::configurations(net.arity())
            .unwrap()
            .take(50)
        {
            let expected = joint_by_reshaped_tables(&net, &x);
            // Same factors, same order of multiplication: equal to the last bit.
            assert_eq!(net.joint(&x).unwrap(), expected, "x = {x:?}");
            checked += 1;
        }
    }
    assert!(checked > 5000);
}

/// A probe: the call as written, the call, the variant it must fail with and
/// the argument the error must name.
type Probe<'a> = (
    &'static str,
    Box<dyn Fn() -> Result<(), Error> + 'a>,
    fn(&Error) -> bool,
    Option<&'static str>,
);

macro_rules! probe {
    ($call:expr, $variant:pat, $arg:expr) => {
        (
            stringify!($call),
            Box::new(|| $call.map(|_| ())) as Box<dyn Fn() -> Result<(), Error> + '_>,
            (|e: &Error| matches!(e, $variant)) as fn(&Error) -> bool,
            $arg,
        )
    };
}

/// `n` independent binary nodes, each with the table (1/2, 1/2): cheap to
/// build however large its joint.
fn independent(n: usize) -> BayesNet<f64> {
    BayesNet::new(vec![2; n], vec![vec![]; n], vec![uniform_table(1, 2); n]).unwrap()
}

#[test]
fn no_input_makes_the_crate_panic() {
    use verified_dl::bayesnet::gaussian::LinearGaussian;
    use verified_dl::bayesnet::joint::configurations;
    use verified_dl::bayesnet::quadrature::gauss_hermite;
    use verified_dl::bayesnet::random::{random_dag, random_rational_network, Shape};
    use verified_dl::bayesnet::{
        example, is_parents_after, total_by_enumeration, total_by_steps, Prob,
    };
    let net = example::sprinkler().unwrap();
    let wide = independent(62);
    let forty = independent(40);
    let gaussian = example::three_node_example().unwrap();
    let huge_weight = LinearGaussian::new(
        vec![vec![1], vec![]],
        vec![vec![1e300], vec![]],
        vec![0.0; 2],
        vec![1.0, 1e100],
    )
    .unwrap();
    let tiny = LinearGaussian::new(
        vec![vec![], vec![]],
        vec![vec![], vec![]],
        vec![0.0; 2],
        vec![1e-300; 2],
    )
    .unwrap();
    let four =
        LinearGaussian::new(vec![vec![]; 4], vec![vec![]; 4], vec![0.0; 4], vec![1.0; 4]).unwrap();
    let table = Table::joint(&net, &[0, 1, 2, 3]).unwrap();
    let min = Rational::int(i128::MIN);
    let tiny_r = Rational::new(1, i128::MAX).unwrap();
    let mut rng = seeded(70);
    let rng = std::cell::RefCell::new(&mut rng);
    let shape = Shape::new(3, 2, 2, 2, 8).unwrap();
    let probes: Vec<Probe> = vec![
        // Indices out of bounds on public calls.
        probe!(net.parents(9), Error::OutOfRange { .. }, Some("node k")),
        probe!(net.children(9), Error::OutOfRange { .. }, Some("node k")),
        probe!(net.table(9), Error::OutOfRange { .. }, Some("node k")),
        probe!(
            net.row(9, &[0, 0, 0, 0]),
            Error::OutOfRange { .. },
            Some("node k")
        ),
        probe!(
            net.row(0, &[0, 0]),
            Error::ShapeMismatch { .. },
            Some("assignment x")
        ),
        probe!(
            net.row(0, &[0, 5, 0, 0]),
            Error::BadValue { .. },
            Some("assignment x")
        ),
        probe!(net.marginal(9), Error::OutOfRange { .. }, Some("node k")),
        probe!(net.without(9), Error::OutOfRange { .. }, Some("node")),
        probe!(net.without(3), Error::BadValue { .. }, Some("node")),
        probe!(
            is_parents_after(&[vec![5]], &[0]),
            Error::BadValue { .. },
            Some("parents of node 0")
        ),
        probe!(
            gaussian.conditional_total(5, &[0.0; 3], 10, 0.0, 1.0),
            Error::OutOfRange { .. },
            Some("node k")
        ),
        probe!(gaussian.sigma(5), Error::OutOfRange { .. }, Some("node k")),
        probe!(
            gaussian.conditional_mean(5, &[0.0; 3]),
            Error::OutOfRange { .. },
            Some("node k")
        ),
        probe!(table.sum_out(7), Error::BadValue { .. }, Some("var")),
        probe!(
            table.get(&[0, 0, 0, 2]),
            Error::BadValue { .. },
            Some("assignment x of the table")
        ),
        probe!(
            Table::new(vec![1, 0], vec![2, 2], vec![0.25; 4]),
            Error::BadValue { .. },
            Some("vars")
        ),
        probe!(
            Table::new(vec![0], vec![2], vec![0.5; 3]),
            Error::ShapeMismatch { .. },
            Some("values of the table")
        ),
        // random::Shape and the generators with bad fields.
        probe!(
            Shape::new(0, 2, 2, 1, 4),
            Error::OutOfRange { .. },
            Some("max_nodes")
        ),
        probe!(
            Shape::new(usize::MAX, 2, 2, 1, 4),
            Error::OutOfRange { .. },
            Some("max_nodes")
        ),
        probe!(
            Shape::new(2, 0, 2, 1, 4),
            Error::OutOfRange { .. },
            Some("min_arity")
        ),
        probe!(
            Shape::new(2, 3, 2, 1, 9),
            Error::OutOfRange { .. },
            Some("min_arity")
        ),
        probe!(
            Shape::new(2, 2, 2, 1, 3),
            Error::OutOfRange { .. },
            Some("max_configurations")
        ),
        probe!(
            Shape::new(2, 2, 2, 1, usize::MAX),
            Error::TooLarge { .. },
            Some("max_configurations")
        ),
        probe!(
            random_dag(*rng.borrow_mut(), 5, 1.5, 2),
            Error::OutOfRange { .. },
            Some("density")
        ),
        probe!(
            random_dag(*rng.borrow_mut(), 5, f64::NAN, 2),
            Error::OutOfRange { .. },
            Some("density")
        ),
        probe!(
            random_dag(*rng.borrow_mut(), usize::MAX, 0.5, 2),
            Error::OutOfRange { .. },
            Some("n")
        ),
        probe!(
            random_rational_network(*rng.borrow_mut(), shape, 0),
            Error::OutOfRange { .. },
            Some("max_den")
        ),
        // Rational overflows: a checked function returns Err, never panics.
        probe!(
            Rational::new(5, i128::MIN),
            Error::OutOfRange { .. },
            Some("den")
        ),
        probe!(
            Rational::new(i128::MIN, -1),
            Error::OutOfRange { .. },
            Some("num")
        ),
        probe!(Rational::new(1, 0), Error::BadValue { .. }, Some("den")),
        probe!(
            min.checked_mul(Rational::int(-1)),
            Error::OutOfRange { .. },
            Some("other")
        ),
        probe!(
            min.checked_add(min),
            Error::OutOfRange { .. },
            Some("other")
        ),
        probe!(
            tiny_r.checked_add(Rational::new(1, i128::MAX - 1).unwrap()),
            Error::OutOfRange { .. },
            Some("other")
        ),
        probe!(
            tiny_r.checked_mul(tiny_r),
            Error::OutOfRange { .. },
            Some("other")
        ),
        probe!(
            1e308f64.add(1e308),
            Error::NonFinite { .. },
            Some("sum self + other")
        ),
        probe!(
            1e308f64.mul(10.0),
            Error::NonFinite { .. },
            Some("product self * other")
        ),
        probe!(
            <f64 as Prob>::sum([1e308, 1e308]),
            Error::NonFinite { .. },
            Some("sum of the terms")
        ),
        // Exhaustive enumerations beyond their documented limit.
        probe!(
            total_by_enumeration(&wide),
            Error::TooLarge { .. },
            Some("joint configurations of the network")
        ),
        probe!(
            total_by_enumeration(&forty),
            Error::TooLarge { .. },
            Some("joint configurations of the network")
        ),
        probe!(
            total_by_steps(&forty),
            Error::TooLarge { .. },
            Some("joint configurations of the network")
        ),
        probe!(
            forty.joint_values(),
            Error::TooLarge { .. },
            Some("joint configurations of the network")
        ),
        probe!(
            Table::joint(&forty, &(0..40).collect::<Vec<_>>()),
            Error::TooLarge { .. },
            Some("joint configurations of the network")
        ),
        probe!(
            independent(65).configurations(),
            Error::Overflow { .. },
            Some("arities of the network")
        ),
        probe!(
            configurations(&[2; 65]),
            Error::Overflow { .. },
            Some("arity")
        ),
        probe!(
            configurations(&[2; 40]),
            Error::TooLarge { .. },
            Some("joint configurations of arity")
        ),
        // Unvalidated inputs of the continuous case.
        probe!(
            gaussian.conditional_total(0, &[0.0; 3], 10, 0.0, 0.0),
            Error::OutOfRange { .. },
            Some("scale s")
        ),
        probe!(
            gaussian.conditional_total(0, &[0.0; 3], 10, 0.0, -1.0),
            Error::OutOfRange { .. },
            Some("scale s")
        ),
        probe!(
            gaussian.conditional_total(0, &[0.0; 3], 10, f64::NAN, 1.0),
            Error::NonFinite { .. },
            Some("centre mu")
        ),
        probe!(
            gaussian.conditional_total(0, &[0.0, f64::INFINITY, 0.0], 10, 0.0, 1.0),
            Error::NonFinite { .. },
            Some("point x")
        ),
        probe!(
            gaussian.conditional_total(0, &[0.0; 2], 10, 0.0, 1.0),
            Error::ShapeMismatch { .. },
            Some("point x")
        ),
        probe!(
            gaussian.conditional_total(2, &[0.0; 3], 10, 1e17, 1.0),
            Error::OutOfRange { .. },
            Some("centre mu")
        ),
        probe!(
            gaussian.conditional_total(0, &[0.0; 3], 0, 0.0, 1.0),
            Error::BadSize { .. },
            Some("number of Gauss-Hermite nodes")
        ),
        probe!(
            gaussian.density(&[f64::NAN, 0.0, 0.0]),
            Error::NonFinite { .. },
            Some("point x")
        ),
        probe!(
            tiny.density(&[0.0, 0.0]),
            Error::OutOfRange { .. },
            Some("point x")
        ),
        probe!(
            huge_weight.conditional_mean(0, &[0.0, 1e300]),
            Error::OutOfRange { .. },
            Some("point x")
        ),
        probe!(
            huge_weight.moments(),
            Error::OutOfRange { .. },
            Some("moments of the model")
        ),
        probe!(
            huge_weight.total_by_gauss_hermite(4),
            Error::OutOfRange { .. },
            Some("moments of the model")
        ),
        probe!(
            gaussian.total_by_gauss_hermite(1000),
            Error::BadSize { .. },
            Some("number of Gauss-Hermite nodes")
        ),
        probe!(
            four.total_by_gauss_hermite(100),
            Error::BadSize { .. },
            Some("number of Gauss-Hermite nodes per axis n")
        ),
        probe!(
            gauss_hermite(151),
            Error::BadSize { .. },
            Some("number of Gauss-Hermite nodes")
        ),
    ];
    let mut failures = Vec::new();
    for (name, call, variant, argument) in &probes {
        match call() {
            Ok(()) => failures.push(format!("{name}: returned Ok")),
            Err(e) if !variant(&e) || e.argument() != *argument => {
                failures.push(format!("{name}: {e:?} (argument {:?})", e.argument()))
            }
            Err(_) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} probes failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(probes.len() >= 50);
}

#[test]
fn edge_values_have_the_right_answers() {
    use verified_dl::bayesnet::gaussian::LinearGaussian;
    // Rationals at the edge of i128: i128::MIN itself is representable.
    let min = Rational::new(i128::MIN, 1).unwrap();
    assert_eq!((min.num(), min.den()), (i128::MIN, 1));
    assert_eq!(Rational::new(i128::MIN, i128::MIN).unwrap(), Rational::ONE);
    assert_eq!(
        Rational::new(i128::MIN, 2).unwrap(),
        Rational::int(i128::MIN / 2)
    );
    assert!(Rational::new(i128::MAX, i128::MAX - 1).unwrap() > Rational::ONE);
    // Exact comparison where f64 cannot tell the numbers apart.
    let a = Rational::new(i128::MAX, i128::MAX - 1).unwrap();
    let b = Rational::new(i128::MAX - 1, i128::MAX - 2).unwrap();
    assert_eq!(a.to_f64(), b.to_f64());
    assert!(a < b, "1 + 1/(M-1) < 1 + 1/(M-2)");

    // One Gaussian node: the rule on its own mean and deviation is exact,
    // however large the mean or small the deviation.
    for (mean, sigma) in [(1e17, 1.0), (0.0, 1e-200), (-3e250, 2e240), (1.0, 1e200)] {
        let one = LinearGaussian::new(vec![vec![]], vec![vec![]], vec![mean], vec![sigma]).unwrap();
        let total = one.total_by_gauss_hermite(8).unwrap();
        assert!(
            (total - 1.0).abs() <= EXACT_TOL,
            "N({mean:e}, {sigma:e}^2): {total}"
        );
    }
    // The three-node example scaled by 1e-200 (deviations and biases): the
    // integral is scale-free, so the rule gives the unscaled total.
    let base = verified_dl::bayesnet::example::three_node_example().unwrap();
    let scaled = LinearGaussian::new(
        vec![vec![1, 2], vec![2], vec![]],
        vec![vec![-0.6, 0.4], vec![0.8], vec![]],
        vec![1e-200, -0.3e-200, 0.5e17],
        vec![0.9e-200, 0.7e-200, 1.2e-200],
    )
    .unwrap();
    let (a, b) = (
        base.total_by_gauss_hermite(20).unwrap(),
        scaled.total_by_gauss_hermite(20).unwrap(),
    );
    assert!(rel_err(a, b) <= EXACT_TOL, "{a} against {b}");
    // Deviations too far apart for the scaled variances are refused.
    let spread = LinearGaussian::new(
        vec![vec![], vec![]],
        vec![vec![], vec![]],
        vec![0.0; 2],
        vec![1e-200, 1e200],
    )
    .unwrap();
    assert!(matches!(
        spread.total_by_gauss_hermite(4),
        Err(Error::OutOfRange { .. })
    ));
    // A step on an axis at the conditional's own mean and deviation is exact
    // while the rounding of the mean stays small; beyond that it is refused.
    for (mean, ok) in [(1e3, true), (1e6, false)] {
        let offset =
            LinearGaussian::new(vec![vec![]], vec![vec![]], vec![mean], vec![1.0]).unwrap();
        match offset.conditional_total(0, &[0.0], 10, mean, 1.0) {
            Ok(step) => assert!(ok && (step - 1.0).abs() <= EXACT_TOL, "{mean}: {step}"),
            Err(e) => assert!(!ok && e.argument() == Some("centre mu"), "{mean}: {e}"),
        }
    }
}
