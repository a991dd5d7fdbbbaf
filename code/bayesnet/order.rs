//! The order the proof needs: every node's parents come after it.

use crate::error::{Error, Result};

// ANCHOR: bayes_order
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
        for (i, &j) in pa.iter().enumerate() {
            if j >= n {
                return Err(Error::BadValue {
                    what: format!("parents of node {k}"),
                    index: vec![i],
                    value: j as f64,
                    allowed: format!("a node in 0..{n}"),
                });
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
            waiting[j] -= 1; // cannot fail: j counted k among its waiting children
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
    // fewer than n nodes were placed, so one is unplaced
    let start = (0..n)
        .find(|&k| !placed[k])
        .ok_or_else(|| Error::Invalid("every node is placed".to_string()))?;
    let mut walk = vec![start];
    let mut seen = vec![usize::MAX; n];
    seen[start] = 0;
    loop {
        // cannot fail: the walk starts with one node and only grows.
        let last = *walk.last().expect("the walk is not empty"); // cannot fail: it starts with one node and only grows
                                                                 // a node left unplaced had a child left unplaced, or it would have
                                                                 // become childless and been placed: the error cannot happen
        let next = *children[last]
            .iter()
            .find(|&&c| !placed[c])
            .ok_or_else(|| Error::Invalid(format!("node {last} has no unplaced child")))?;
        if seen[next] != usize::MAX {
            return Err(Error::Cycle {
                nodes: walk[seen[next]..].to_vec(),
            });
        }
        seen[next] = walk.len();
        walk.push(next);
    }
}
// ANCHOR_END: bayes_order

// ANCHOR: is_parents_after
/// True if `order` is a permutation of the nodes in which every node's
/// parents come after it. A parent list naming a node that is not there is
/// an error (the parent lists are not a graph).
pub fn is_parents_after(parents: &[Vec<usize>], order: &[usize]) -> Result<bool> {
    let n = parents.len();
    for (k, pa) in parents.iter().enumerate() {
        if let Some((i, &j)) = pa.iter().enumerate().find(|&(_, &j)| j >= n) {
            return Err(Error::BadValue {
                what: format!("parents of node {k}"),
                index: vec![i],
                value: j as f64,
                allowed: format!("a node in 0..{n}"),
            });
        }
    }
    if order.len() != n {
        return Ok(false);
    }
    let mut position = vec![usize::MAX; n];
    for (i, &k) in order.iter().enumerate() {
        if k >= n || position[k] != usize::MAX {
            return Ok(false);
        }
        position[k] = i;
    }
    Ok(parents
        .iter()
        .enumerate()
        .all(|(k, pa)| pa.iter().all(|&j| position[j] > position[k])))
}
// ANCHOR_END: is_parents_after
