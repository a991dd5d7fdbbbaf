//! The order the proof needs: every node's parents come after it.

use crate::error::{Error, Result};

// ANCHOR: order
/// An order `I_1, ..., I_K` of the nodes in which every node's parents come
/// after it: `pa_{I_i}` is a subset of `{I_j : j > i}`.
///
/// It is built from the front. The first node must be no one's parent, so it
/// is a childless node; remove it and repeat on the rest. A finite DAG always
/// has a childless node (follow child edges from any node: without a cycle the
/// walk must stop, and it stops at a node with no children), so the
/// construction fails exactly when the graph has a directed cycle, and then
/// the error lists the nodes of one cycle in the direction of its edges.
///
/// `parents[k]` lists the parents of node `k`; every entry must be `< K`.
pub fn parents_after_order(parents: &[Vec<usize>]) -> Result<Vec<usize>> {
    let n = parents.len();
    let mut children = vec![Vec::new(); n];
    for (k, pa) in parents.iter().enumerate() {
        for &j in pa {
            if j >= n {
                return Err(Error::Invalid(format!(
                    "node {k} has parent {j}, but the nodes are 0..{n}"
                )));
            }
            children[j].push(k);
        }
    }
    // How many children of each node are still unplaced.
    let mut waiting: Vec<usize> = children.iter().map(Vec::len).collect();
    let mut childless: Vec<usize> = (0..n).rev().filter(|&k| waiting[k] == 0).collect();
    let mut order = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    while let Some(k) = childless.pop() {
        order.push(k);
        placed[k] = true;
        for &j in &parents[k] {
            waiting[j] -= 1;
            if waiting[j] == 0 {
                childless.push(j);
            }
        }
    }
    if order.len() == n {
        return Ok(order);
    }
    // Every unplaced node has an unplaced child: walk along such children
    // until a node repeats; the walk from its first visit is a cycle.
    let start = (0..n).find(|&k| !placed[k]).expect("some node is unplaced");
    let mut walk = vec![start];
    let mut seen = vec![usize::MAX; n];
    seen[start] = 0;
    loop {
        let last = *walk.last().expect("the walk is not empty");
        let next = *children[last]
            .iter()
            .find(|&&c| !placed[c])
            .expect("an unplaced node has an unplaced child");
        if seen[next] != usize::MAX {
            return Err(Error::Cycle {
                nodes: walk[seen[next]..].to_vec(),
            });
        }
        seen[next] = walk.len();
        walk.push(next);
    }
}
// ANCHOR_END: order

/// True if every node's parents come after it in `order`, and `order` is a
/// permutation of the nodes.
pub fn is_parents_after(parents: &[Vec<usize>], order: &[usize]) -> bool {
    let n = parents.len();
    if order.len() != n {
        return false;
    }
    let mut position = vec![usize::MAX; n];
    for (i, &k) in order.iter().enumerate() {
        if k >= n || position[k] != usize::MAX {
            return false;
        }
        position[k] = i;
    }
    parents
        .iter()
        .enumerate()
        .all(|(k, pa)| pa.iter().all(|&j| position[j] > position[k]))
}
