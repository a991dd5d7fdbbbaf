//! Property tests of every public function of `verified_dl::bayesnet`: fed
//! arbitrary sizes and values (0, 1, `usize::MAX`, NaN, infinities, +-1e308,
//! subnormals, `i128::MIN`), each returns `Err` or a finite `Ok`, and an `Ok`
//! agrees with an independent computation where one exists.

use proptest::prelude::*;
use rand::SeedableRng;
use verified_dl::bayesnet::exercises::hybrid_total;
use verified_dl::bayesnet::gaussian::LinearGaussian;
use verified_dl::bayesnet::joint::configurations;
use verified_dl::bayesnet::quadrature::gauss_hermite;
use verified_dl::bayesnet::random::{random_dag, random_network, random_rational_network, Shape};
use verified_dl::bayesnet::sampling::AncestralSampler;
use verified_dl::bayesnet::{
    example, is_parents_after, parents_after_order, proof_steps, total_by_enumeration,
    total_by_steps, BayesNet, Prob, Rational, Table,
};
use verified_dl::check::SeededRng as Rng;

/// Every public function and method of the chapter's modules (the test
/// `public_api_is_listed` keeps this list complete).
const PUBLIC_API: &[&str] = &[
    "example::sprinkler",
    "example::three_node_example",
    "example::two_node_example",
    "example::worked_example",
    "exercises::BayesNet::factor_entries",
    "exercises::hybrid_total",
    "gaussian::LinearGaussian::new",
    "gaussian::LinearGaussian::len",
    "gaussian::LinearGaussian::is_empty",
    "gaussian::LinearGaussian::conditional_mean",
    "gaussian::LinearGaussian::sigma",
    "gaussian::LinearGaussian::density",
    "gaussian::LinearGaussian::moments",
    "integration::LinearGaussian::total_by_gauss_hermite",
    "integration::LinearGaussian::conditional_total",
    "joint::BayesNet::joint",
    "joint::configurations",
    "joint::BayesNet::configurations",
    "joint::BayesNet::joint_values",
    "marginal::BayesNet::marginal",
    "network::BayesNet::new",
    "network::BayesNet::len",
    "network::BayesNet::is_empty",
    "network::BayesNet::arity",
    "network::BayesNet::parent_lists",
    "network::BayesNet::parents",
    "network::BayesNet::children",
    "network::BayesNet::table",
    "network::BayesNet::check_assignment",
    "network::BayesNet::map",
    "network::BayesNet::row",
    "network::BayesNet::without",
    "order::parents_after_order",
    "order::is_parents_after",
    "prob::Prob::zero",
    "prob::Prob::one",
    "prob::Prob::add",
    "prob::Prob::mul",
    "prob::Prob::to_f64",
    "prob::Prob::is_probability",
    "prob::Prob::is_one",
    "prob::Prob::sum",
    "proof::Table::new",
    "proof::Table::vars",
    "proof::Table::arity",
    "proof::Table::values",
    "proof::Table::get",
    "proof::Table::joint",
    "proof::Table::sum_out",
    "proof::proof_steps",
    "proof::total_by_enumeration",
    "proof::total_by_steps",
    "quadrature::gauss_hermite",
    "random::Shape::new",
    "random::Shape::max_nodes",
    "random::Shape::min_arity",
    "random::Shape::max_arity",
    "random::Shape::max_parents",
    "random::Shape::max_configurations",
    "random::random_dag",
    "random::random_network",
    "random::random_rational_network",
    "rational::Rational::new",
    "rational::Rational::int",
    "rational::Rational::num",
    "rational::Rational::den",
    "rational::Rational::checked_add",
    "rational::Rational::checked_mul",
    "rational::Rational::to_f64",
    "sampling::AncestralSampler::new",
    "sampling::AncestralSampler::draw",
];

/// The `pub fn` items of one source file, as `file::Type::name` inside an
/// `impl` block and `file::name` outside.
fn public_fns(stem: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("impl") {
            // Skip the generics, `impl<...>`, then read the type's name.
            let mut depth = 0usize;
            let mut start = 0;
            for (i, c) in rest.char_indices() {
                match c {
                    '<' => depth += 1,
                    '>' => depth = depth.saturating_sub(1),
                    _ if depth == 0 && !c.is_whitespace() => {
                        start = i;
                        break;
                    }
                    _ => {}
                }
            }
            let name: String = rest[start..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            current = Some(name);
        } else if line.starts_with('}') {
            current = None;
        }
        if let Some(pos) = line.find("pub fn ") {
            let name: String = line[pos + 7..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let indented = line.starts_with(' ');
            match (&current, indented) {
                (Some(ty), true) => found.push(format!("{stem}::{ty}::{name}")),
                _ => found.push(format!("{stem}::{name}")),
            }
        }
    }
    found
}

#[test]
fn public_api_is_listed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../code/bayesnet");
    let mut missing = Vec::new();
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        for name in public_fns(&stem, &text) {
            count += 1;
            if !PUBLIC_API.contains(&name.as_str()) {
                missing.push(name);
            }
        }
    }
    assert!(count > 40, "the parser found only {count} public functions");
    assert!(
        missing.is_empty(),
        "public functions missing from PUBLIC_API: {missing:?}"
    );
}

/// Sizes and indices: the edges and small values.
fn edge_usize() -> impl Strategy<Value = usize> {
    prop_oneof![
        Just(0usize),
        Just(1),
        Just(2),
        Just(usize::MAX),
        Just(usize::MAX / 2 + 1),
        0usize..6,
        any::<usize>(),
    ]
}

/// Floating-point values: the edges and ordinary ones.
fn edge_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(-0.0),
        Just(1.0),
        Just(-1.0),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(1e308),
        Just(-1e308),
        Just(5e-324),
        Just(-5e-324),
        Just(f64::MIN_POSITIVE / 4.0),
        Just(1e-200),
        Just(1e17),
        -3.0..3.0f64,
        any::<f64>(),
    ]
}

/// `i128` values: the edges and small ones.
fn edge_i128() -> impl Strategy<Value = i128> {
    prop_oneof![
        Just(0i128),
        Just(1),
        Just(-1),
        Just(i128::MIN),
        Just(i128::MAX),
        Just(i128::MIN + 1),
        Just(i128::MAX - 1),
        -20i128..20,
        any::<i128>(),
    ]
}

/// A small valid network from a seed: up to 5 nodes, arities 1 to 3.
fn small_network(seed: u64) -> BayesNet<f64> {
    let shape = Shape::new(5, 1, 3, 3, 243).unwrap();
    random_network(&mut Rng::seed_from_u64(seed), shape).unwrap()
}

/// The marginal of node `k` by brute force.
fn brute_marginal(net: &BayesNet<f64>, k: usize) -> Vec<f64> {
    let mut sums = vec![0.0; net.arity()[k]];
    for x in configurations(net.arity()).unwrap() {
        sums[x[k]] += net.joint(&x).unwrap();
    }
    sums
}

/// `cases` cases a property, without writing failures into the source tree
/// (a failure prints its minimal input instead).
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(crate::scaled(cases))
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

proptest! {
    #![proptest_config(config(2000))]

    /// Arbitrary arities, parents and tables: an error or a network whose
    /// total is one by the steps and by brute force.
    #[test]
    fn arbitrary_networks_are_refused_or_normalized(
        arity in prop::collection::vec(edge_usize(), 0..4),
        parents in prop::collection::vec(prop::collection::vec(edge_usize(), 0..3), 0..4),
        entries in prop::collection::vec(edge_f64(), 0..8),
        rows in prop::collection::vec(0usize..5, 0..4),
        uniform in any::<bool>(),
    ) {
        let tables: Vec<ndarray::Array2<f64>> = rows
            .iter()
            .zip(arity.iter().chain(std::iter::repeat(&1)))
            .map(|(&r, &a)| {
                let a = a.min(4);
                if uniform && a > 0 {
                    ndarray::Array2::from_elem((r, a), 1.0 / a as f64)
                } else {
                    ndarray::Array2::from_shape_fn((r, a), |(i, j)| {
                        entries.get((i * a + j) % entries.len().max(1)).copied().unwrap_or(0.5)
                    })
                }
            })
            .collect();
        if let Ok(net) = BayesNet::new(arity, parents, tables) {
            let by_steps = total_by_steps(&net);
            let by_enumeration = total_by_enumeration(&net);
            if let (Ok(a), Ok(b)) = (by_steps, by_enumeration) {
                prop_assert!(close(a, 1.0) && close(b, 1.0), "{a} {b}");
            }
        }
    }

    /// Every method of a valid network at arbitrary indices and assignments.
    #[test]
    fn network_methods_are_total(
        seed in any::<u64>(),
        k in edge_usize(),
        x in prop::collection::vec(edge_usize(), 0..6),
        small in prop::collection::vec(0usize..3, 0..6),
    ) {
        let net = small_network(seed);
        prop_assert_eq!(net.is_empty(), net.arity().is_empty());
        prop_assert_eq!(net.parent_lists().len(), net.len());
        let valid = k < net.len();
        prop_assert_eq!(net.parents(k).is_ok(), valid);
        prop_assert_eq!(net.children(k).is_ok(), valid);
        prop_assert_eq!(net.table(k).is_ok(), valid);
        for x in [&x, &small] {
            let ok = net.check_assignment(x).is_ok();
            prop_assert_eq!(ok, x.len() == net.len() && x.iter().zip(net.arity()).all(|(v, a)| v < a));
            match net.joint(x) {
                Ok(p) => {
                    prop_assert!(ok);
                    // Reference: the product of the selected table entries.
                    let mut q = 1.0;
                    for j in 0..net.len() {
                        q *= net.table(j).unwrap()[(net.row(j, x).unwrap(), x[j])];
                    }
                    prop_assert!(p.is_finite() && close(p, q));
                }
                Err(_) => prop_assert!(!ok),
            }
            prop_assert_eq!(net.row(k, x).is_ok(), ok && valid);
            let _ = is_parents_after(net.parent_lists(), x).unwrap();
        }
        match net.marginal(k) {
            Ok(m) => {
                let reference = brute_marginal(&net, k);
                prop_assert!(m.iter().zip(&reference).all(|(&a, &b)| close(a, b)));
            }
            Err(_) => prop_assert!(!valid),
        }
        match net.without(k) {
            Ok(rest) => prop_assert_eq!(rest.len() + 1, net.len()),
            Err(_) => prop_assert!(!valid || !net.children(k).unwrap().is_empty()),
        }
        let exact = net.map(|p| p).unwrap();
        prop_assert_eq!(&exact, &net);
        prop_assert_eq!(net.configurations().unwrap(), net.joint_values().unwrap().len());
        let names: Vec<usize> = (0..net.len()).collect();
        let table = Table::joint(&net, &names).unwrap();
        prop_assert_eq!(table.sum_out(k).is_ok(), valid);
        let _ = table.get(&x);
        let increasing = x.len() == net.len() && x.windows(2).all(|w| w[0] < w[1]);
        prop_assert_eq!(Table::joint(&net, &x).is_ok(), increasing);
        let steps = proof_steps(&net).unwrap();
        prop_assert_eq!(steps.len(), net.len());
        let order = parents_after_order(net.parent_lists()).unwrap();
        prop_assert!(is_parents_after(net.parent_lists(), &order).unwrap());
        let sampler = AncestralSampler::new(&net).unwrap();
        let sample = sampler.draw(&mut Rng::seed_from_u64(seed ^ 1));
        // A sample never has probability zero.
        prop_assert!(net.joint(&sample).unwrap() > 0.0);
    }

    /// Parent lists of up to 5 nodes: an order exactly when some permutation
    /// puts every node's parents after it (found by trying them all).
    #[test]
    fn orders_exist_exactly_for_dags(
        parents in prop::collection::vec(prop::collection::vec(prop_oneof![0usize..5, edge_usize()], 0..3), 0..5),
    ) {
        let n = parents.len();
        let in_range = parents.iter().flatten().all(|&j| j < n);
        let mut perm: Vec<usize> = (0..n).collect();
        let mut exists = false;
        let mut permutations = vec![];
        heap_permutations(&mut perm, n, &mut permutations);
        for p in &permutations {
            if in_range && is_parents_after(&parents, p).unwrap() {
                exists = true;
            }
        }
        match parents_after_order(&parents) {
            Ok(order) => {
                prop_assert!(exists);
                prop_assert!(is_parents_after(&parents, &order).unwrap());
            }
            Err(_) => prop_assert!(!exists),
        }
        prop_assert_eq!(is_parents_after(&parents, &perm).is_ok(), in_range);
    }

    /// Rationals from arbitrary `i128`: an error or the exact value, and the
    /// checked operations agree with `f64` and with each other.
    #[test]
    fn rationals_are_exact_or_refused(
        a in edge_i128(), b in edge_i128(), c in edge_i128(), d in edge_i128(),
    ) {
        let (r, s) = (Rational::new(a, b), Rational::new(c, d));
        prop_assert_eq!(Rational::int(a).num(), a);
        if let Ok(r) = r {
            prop_assert!(r.den() > 0);
            prop_assert!(r.to_f64().is_finite());
            // Reference: the quotient in f64, to a few roundings.
            let q = a as f64 / b as f64;
            prop_assert!((r.to_f64() - q).abs() <= 1e-12 * q.abs() + 1e-300);
        }
        if let (Ok(r), Ok(s)) = (r, s) {
            if let Ok(sum) = r.checked_add(s) {
                let f = r.to_f64() + s.to_f64();
                prop_assert!((sum.to_f64() - f).abs() <= 1e-12 * (r.to_f64().abs() + s.to_f64().abs()) + 1e-300);
                prop_assert_eq!(sum, s.checked_add(r).unwrap());
            }
            if let Ok(product) = r.checked_mul(s) {
                let f = r.to_f64() * s.to_f64();
                prop_assert!((product.to_f64() - f).abs() <= 1e-12 * f.abs() + 1e-300);
            }
            // The order agrees with the sign of the difference, when it exists.
            if let Some(neg) = s.num().checked_neg() {
                if let Ok(diff) = r.checked_add(Rational::new(neg, s.den()).unwrap()) {
                    prop_assert_eq!(r.cmp(&s), diff.num().cmp(&0));
                }
            }
            prop_assert_eq!(r.cmp(&s), s.cmp(&r).reverse());
        }
    }

    /// The trait's operations in `f64` and in rationals: an error or a finite value.
    #[test]
    fn prob_operations_are_finite_or_refused(
        a in edge_f64(), b in edge_f64(), terms in prop::collection::vec(edge_f64(), 0..5),
        n in edge_i128(), m in 1i128..1000,
    ) {
        prop_assert_eq!(<f64 as Prob>::zero(), 0.0);
        prop_assert_eq!(<f64 as Prob>::one(), 1.0);
        for v in [a.add(b), a.mul(b), <f64 as Prob>::sum(terms.clone())].into_iter().flatten() {
            prop_assert!(v.is_finite());
        }
        if let Ok(s) = <f64 as Prob>::sum(terms.clone()) {
            let plain: f64 = terms.iter().sum();
            prop_assert!(plain.is_finite() || terms.iter().any(|t| t.abs() > 1e300));
            if plain.is_finite() && terms.iter().all(|t| t.abs() < 1e300) {
                let size: f64 = terms.iter().map(|t| t.abs()).sum();
                prop_assert!((s - plain).abs() <= 1e-12 * size + 1e-300);
            }
        }
        prop_assert_eq!(a.is_probability(), a.is_finite() && a >= 0.0);
        prop_assert_eq!(a.is_one(), (a - 1.0).abs() <= 1e-12);
        prop_assert_eq!(<f64 as Prob>::to_f64(a).to_bits(), a.to_bits());
        let r = Rational::new(n, m);
        if let Ok(r) = r {
            prop_assert_eq!(r.is_probability(), r.num() >= 0);
            prop_assert_eq!(r.is_one(), r == Rational::ONE);
            prop_assert_eq!(<Rational as Prob>::sum([r, Rational::ZERO]).unwrap(), r);
            prop_assert_eq!(Prob::mul(r, Rational::one()).unwrap(), r);
            prop_assert_eq!(Prob::add(r, Rational::zero()).unwrap(), r);
            prop_assert!(Prob::to_f64(r).is_finite());
        }
    }

    /// Tables from arbitrary parts: an error or a table whose sums are right.
    #[test]
    fn tables_are_valid_or_refused(
        vars in prop::collection::vec(prop_oneof![0usize..6, edge_usize()], 0..4),
        arity in prop::collection::vec(prop_oneof![0usize..4, edge_usize()], 0..4),
        len in 0usize..30,
        var in edge_usize(),
        x in prop::collection::vec(edge_usize(), 0..4),
    ) {
        let values: Vec<f64> = (0..len).map(|i| i as f64).collect();
        if let Ok(t) = Table::new(vars, arity, values) {
            prop_assert_eq!(t.vars().len(), t.arity().len());
            let total: f64 = t.values().iter().sum();
            match t.sum_out(var) {
                Ok(s) => {
                    let sum: f64 = s.values().iter().sum();
                    prop_assert!(close(sum, total));
                }
                Err(_) => prop_assert!(!t.vars().contains(&var)),
            }
            if let Ok(v) = t.get(&x) {
                prop_assert!(t.values().contains(&v));
            }
        }
    }

    /// Shapes from arbitrary fields, and the generators on the valid ones.
    #[test]
    fn random_generators_are_total(
        fields in prop::collection::vec(edge_usize(), 5),
        seed in any::<u64>(),
        n in edge_usize(),
        density in edge_f64(),
        max_den in edge_i128(),
    ) {
        let mut rng = Rng::seed_from_u64(seed);
        if let Ok(shape) = Shape::new(fields[0], fields[1], fields[2], fields[3], fields[4]) {
            prop_assert_eq!(
                [shape.max_nodes(), shape.min_arity(), shape.max_arity(), shape.max_parents(), shape.max_configurations()],
                [fields[0], fields[1], fields[2], fields[3], fields[4]]
            );
            // Keep the case cheap: only small shapes are drawn from.
            if shape.max_configurations() <= 256 && shape.max_nodes() <= 8 {
                if let Ok(net) = random_network(&mut rng, shape) {
                    prop_assert!(net.len() <= shape.max_nodes());
                    prop_assert!(net.configurations().unwrap() <= shape.max_configurations());
                    prop_assert!(close(total_by_enumeration(&net).unwrap(), 1.0));
                }
                if let Ok(net) = random_rational_network(&mut rng, shape, max_den) {
                    prop_assert!(max_den >= 1);
                    // Sums of large denominators may overflow: an error, or exactly one.
                    if let Ok(t) = total_by_enumeration(&net) {
                        prop_assert_eq!(t, Rational::ONE);
                    }
                } else {
                    prop_assert!(!(1..=1 << 60).contains(&max_den));
                }
            }
        }
        if n <= 40 {
            match random_dag(&mut rng, n, density, n) {
                Ok(parents) => {
                    prop_assert!((0.0..=1.0).contains(&density));
                    let order = parents_after_order(&parents).unwrap();
                    prop_assert!(is_parents_after(&parents, &order).unwrap());
                }
                Err(_) => prop_assert!(!(0.0..=1.0).contains(&density)),
            }
        } else {
            prop_assert_eq!(random_dag(&mut rng, n, density, 2).is_err(), n > 4096 || !(0.0..=1.0).contains(&density));
        }
    }
}

proptest! {
    #![proptest_config(config(1500))]

    /// Linear-Gaussian models from arbitrary numbers: an error or finite
    /// answers, and a model without edges integrates to one exactly.
    #[test]
    fn gaussian_methods_are_finite_or_refused(
        parents in prop::collection::vec(prop::collection::vec(prop_oneof![0usize..3, edge_usize()], 0..2), 0..4),
        numbers in prop::collection::vec(edge_f64(), 12),
        k in edge_usize(),
        x in prop::collection::vec(edge_f64(), 0..4),
        n in prop_oneof![1usize..12, edge_usize()],
        mu in edge_f64(),
        s in edge_f64(),
    ) {
        let len = parents.len();
        let weights: Vec<Vec<f64>> =
            parents.iter().enumerate().map(|(i, pa)| pa.iter().enumerate().map(|(j, _)| numbers[(i + j) % 12]).collect()).collect();
        let bias: Vec<f64> = (0..len).map(|i| numbers[(i + 4) % 12]).collect();
        let sigma: Vec<f64> = (0..len).map(|i| numbers[(i + 8) % 12].abs()).collect();
        let Ok(model) = LinearGaussian::new(parents.clone(), weights, bias, sigma) else { return Ok(()) };
        prop_assert_eq!(model.is_empty(), parents.is_empty());
        prop_assert_eq!(model.len(), parents.len());
        if let Ok(m) = model.conditional_mean(k, &x) { prop_assert!(m.is_finite()) }
        if let Ok(sd) = model.sigma(k) { prop_assert!(sd > 0.0 && sd.is_finite()) }
        if let Ok(p) = model.density(&x) { prop_assert!(p.is_finite() && p >= 0.0) }
        if let Ok((mean, cov)) = model.moments() {
            prop_assert!(mean.iter().chain(cov.iter()).all(|v| v.is_finite()));
        }
        let n = n.min(1000); // n^K points: the case stays cheap through MAX_GRID_POINTS
        if n <= 40 || n > 150 {
            if let Ok(total) = model.total_by_gauss_hermite(n) {
                prop_assert!(total.is_finite());
                if parents.iter().all(|p| p.is_empty()) {
                    // Each axis is the node's own: the rule is exact.
                    prop_assert!((total - 1.0).abs() <= 1e-12, "{}", total);
                }
            }
        }
        if let Ok(total) = model.conditional_total(k, &x, n.min(200), mu, s) {
            prop_assert!(total.is_finite());
        }
    }

    /// The Gauss-Hermite rule: an error, or weights that sum to sqrt(pi)
    /// (the moment of degree 0).
    #[test]
    fn gauss_hermite_is_refused_or_right(n in prop_oneof![0usize..160, edge_usize()]) {
        match gauss_hermite(n) {
            Ok((t, w)) => {
                prop_assert!((1..=150).contains(&n));
                prop_assert_eq!(t.len(), n);
                let sum: f64 = w.iter().sum();
                prop_assert!((sum - std::f64::consts::PI.sqrt()).abs() <= 1e-12);
            }
            Err(_) => prop_assert!(n == 0 || n > 150),
        }
    }

    /// Enumerations of arbitrary arities: an error beyond the limit, else
    /// exactly the product of the arities, each configuration in range.
    #[test]
    fn configurations_are_counted_or_refused(arity in prop::collection::vec(prop_oneof![0usize..4, edge_usize()], 0..6)) {
        // a node with no values leaves no configuration, however many the others have
        let product = if arity.contains(&0) { Some(0) } else { arity.iter().try_fold(1usize, |p, &a| p.checked_mul(a)) };
        match configurations(&arity) {
            Ok(all) => {
                let all: Vec<Vec<usize>> = all.collect();
                prop_assert_eq!(Some(all.len()), product);
                prop_assert!(all.iter().all(|x| x.iter().zip(&arity).all(|(v, a)| v < a)));
            }
            Err(_) => prop_assert!(product.is_none_or(|p| p > verified_dl::bayesnet::joint::MAX_CONFIGURATIONS)),
        }
    }
}

proptest! {
    #![proptest_config(config(1500))]

    /// The size of the tables of a valid network: the entries its tables hold.
    #[test]
    fn factor_entries_count_the_tables(seed in any::<u64>()) {
        let net = small_network(seed);
        let stored: usize = (0..net.len()).map(|k| net.table(k).unwrap().len()).sum();
        prop_assert_eq!(net.factor_entries().unwrap(), stored);
    }

    /// The hybrid network from arbitrary numbers: an error or finite answers;
    /// with one value of z the rule is on the component's own axis, exact.
    #[test]
    fn hybrid_total_is_finite_or_refused(
        prior in prop::collection::vec(edge_f64(), 0..4),
        mean in prop::collection::vec(edge_f64(), 0..4),
        sigma in prop::collection::vec(edge_f64(), 0..4),
        n in prop_oneof![0usize..160, edge_usize()],
        m in -3.0..3.0f64,
        s in 0.1..3.0f64,
        uniform in any::<bool>(),
    ) {
        let prior = if uniform && !prior.is_empty() { vec![1.0 / prior.len() as f64; prior.len()] } else { prior };
        if let Ok((total, first)) = hybrid_total(&prior, &mean, &sigma, n) {
            prop_assert!(total.is_finite() && first.is_finite());
            prop_assert!((1..=150).contains(&n) && prior.len() == mean.len() && mean.len() == sigma.len());
        }
        let one = hybrid_total(&[1.0], &[m], &[s], 20).unwrap();
        prop_assert!((one.0 - 1.0).abs() <= 1e-12 && (one.1 - m).abs() <= 1e-12 * s.max(1.0), "{:?}", one);
    }
}

#[test]
fn examples_are_valid() {
    let net = example::sprinkler().unwrap();
    assert_eq!(total_by_steps(&net).unwrap(), Rational::ONE);
    let worked = example::worked_example().unwrap();
    assert_eq!(total_by_steps(&worked).unwrap(), Rational::ONE);
    for model in [
        example::three_node_example().unwrap(),
        example::two_node_example().unwrap(),
    ] {
        assert!((model.total_by_gauss_hermite(60).unwrap() - 1.0).abs() < 1e-10);
    }
}

/// All permutations of `perm[..k]` (Heap's algorithm).
fn heap_permutations(perm: &mut Vec<usize>, k: usize, out: &mut Vec<Vec<usize>>) {
    if k <= 1 {
        out.push(perm.clone());
        return;
    }
    for i in 0..k {
        heap_permutations(perm, k - 1, out);
        let j = if k % 2 == 0 { i } else { 0 };
        perm.swap(j, k - 1);
    }
}
