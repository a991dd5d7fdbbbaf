//! The Rust item a listing shows, and its page in the API documentation.

use crate::listings::Listing;

/// A Rust item a listing shows: its kind as rustdoc names its pages, its
/// name, and for a method the type it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// `fn`, `struct`, `enum`, `constant`, `type`, `trait`, `macro`.
    pub kind: &'static str,
    /// The item's name (for an `impl` block, the type's).
    pub name: String,
    /// The first method of an `impl` block, if the listing shows one.
    pub method: Option<String>,
    /// Whether rustdoc documents it (`pub`, not `pub(crate)` or private).
    pub public: bool,
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The first item of a listing, read from its text.
pub fn first_item(text: &str) -> Option<Item> {
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with("#["));
    let line = lines.next()?;
    if line.starts_with("macro_rules!") {
        let name = ident(line.trim_start_matches("macro_rules!").trim());
        return Some(Item {
            kind: "macro",
            name,
            method: None,
            public: text.contains("#[macro_export]"),
        });
    }
    if let Some(rest) = line.strip_prefix("impl") {
        // impl<T> Name<T> { / impl Trait for Name {
        let rest = skip_generics(rest.trim_start());
        let rest = match rest.split_once(" for ") {
            Some((_, ty)) => ty.trim(),
            None => rest.trim(),
        };
        let name = ident(rest);
        let method = text.lines().map(str::trim).find_map(|l| {
            let l = l.strip_prefix("pub ")?;
            let l = l.strip_prefix("const ").unwrap_or(l);
            l.strip_prefix("fn ").map(ident)
        });
        return Some(Item {
            kind: "struct",
            name,
            method,
            public: true,
        });
    }
    let (public, rest) = match line.strip_prefix("pub ") {
        Some(r) => (true, r),
        None => (false, line.strip_prefix("pub(crate) ").unwrap_or(line)),
    };
    let rest = rest.strip_prefix("const fn ").map_or(rest, |r| r);
    let (kind, rest) = [
        ("fn ", "fn"),
        ("struct ", "struct"),
        ("enum ", "enum"),
        ("const ", "constant"),
        ("static ", "static"),
        ("type ", "type"),
        ("trait ", "trait"),
    ]
    .iter()
    .find_map(|(kw, kind)| rest.strip_prefix(kw).map(|r| (*kind, r)))
    .or_else(|| {
        line.strip_prefix("pub const fn ")
            .or_else(|| line.strip_prefix("const fn "))
            .map(|r| ("fn", r))
    })?;
    Some(Item {
        kind,
        name: ident(rest),
        method: None,
        public,
    })
}

fn skip_generics(s: &str) -> &str {
    if !s.starts_with('<') {
        return s;
    }
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => {
                depth -= 1;
                if depth == 0 {
                    return &s[i + 1..];
                }
            }
            _ => {}
        }
    }
    s
}

/// The module path of a file of the crate, as rustdoc lays out its pages:
/// `code/conv/pooling.rs` is `verified_dl/conv/pooling`.
pub fn module_dir(file: &str) -> Option<String> {
    let rel = file.strip_prefix("code/")?.strip_suffix(".rs")?;
    let mut parts: Vec<&str> = rel.split('/').collect();
    if matches!(parts.last(), Some(&"mod") | Some(&"lib")) {
        parts.pop();
    }
    let mut dir = String::from("verified_dl");
    for p in parts {
        dir.push('/');
        dir.push_str(p);
    }
    Some(dir)
}

/// The API page of a listing's item, relative to the book's root, or `None`
/// for an item rustdoc does not document.
pub fn api_page(root: &std::path::Path, listing: &Listing) -> Option<String> {
    let item = first_item(&listing.text)?;
    if !item.public {
        return None;
    }
    if item.kind == "macro" {
        return Some(format!("api/verified_dl/macro.{}.html", item.name));
    }
    // An `impl` block may stand in another file than its type: the page is
    // the type's, in the module that defines it.
    let (file, kind) = if is_impl(&listing.text) {
        type_home(root, &item.name)?
    } else {
        (listing.file.clone(), item.kind.to_string())
    };
    let dir = module_dir(&file)?;
    let page = format!("api/{dir}/{kind}.{}.html", item.name);
    Some(match item.method {
        Some(m) => format!("{page}#method.{m}"),
        None => page,
    })
}

/// Whether the listing's first item is an `impl` block.
fn is_impl(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with("#["))
        .is_some_and(|l| l.starts_with("impl"))
}

/// The file of the crate that defines the public type `name`, and whether it
/// is a `struct` or an `enum`.
pub fn type_home(root: &std::path::Path, name: &str) -> Option<(String, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root.join("code"), &mut files);
    // the crate root defines no type but the doctest markers of the chapters
    for path in files.into_iter().filter(|p| !p.ends_with("code/lib.rs")) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for kind in ["struct", "enum"] {
            let decl = format!("pub {kind} {name}");
            let found = text.lines().any(|l| {
                l.trim_start().strip_prefix(&decl).is_some_and(|rest| {
                    !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                })
            });
            if found {
                let rel = path
                    .strip_prefix(root)
                    .ok()?
                    .to_string_lossy()
                    .replace('\\', "/");
                return Some((rel, kind.to_string()));
            }
        }
    }
    None
}
