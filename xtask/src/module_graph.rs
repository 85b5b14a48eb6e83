//! The shape of a crate's `src/`, checked from its text: no two files import each other (not
//! even round a longer circle), and no feature module imports another feature's module: what two
//! features share gets a module of its own. A child's `use super::x` beside its parent's `mod x;`
//! is no import back; a `pub use` re-export in a parent is. `cargo xtask test` runs the checks
//! below for the widget, core, the server and the console as ordinary tests of this crate.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// What to check in one crate.
pub struct Layout {
    /// The crate's folder, holding `src/`.
    pub dir: &'static str,
    /// The library's name as a binary's files write it (`encore_server`).
    pub library: &'static str,
    /// The feature folders.
    pub features: &'static [&'static str],
    /// Folders whose child is named after the feature it belongs to (`config::offers`).
    pub by_feature: &'static [&'static str],
    /// Shared folders every feature may use, which therefore import no feature (the store
    /// console's `admin`: its review routes live with reviews, not the other way round).
    pub shared: &'static [&'static str],
}

/// The widget, core, the server and the console.
pub const LAYOUTS: [Layout; 4] = [
    Layout {
        dir: ".",
        library: "encore",
        features: &["reviews", "offers", "surprise", "referral"],
        by_feature: &[],
        shared: &[],
    },
    Layout {
        dir: "core",
        library: "encore_core",
        features: &["reviews", "offers", "surprise", "referral"],
        by_feature: &[],
        shared: &[],
    },
    Layout {
        dir: "server",
        library: "encore_server",
        features: &["reviews", "offers", "surprise", "referral"],
        by_feature: &["config"],
        shared: &["admin"],
    },
    Layout {
        dir: "console",
        library: "encore_console",
        features: &["sign_in", "reviews", "rules", "audit", "people"],
        by_feature: &[],
        shared: &[],
    },
];

/// What is wrong with one crate's imports, each as a readable line.
#[derive(Debug, Default)]
pub struct Findings {
    /// Files that import each other, round a circle.
    pub circles: Vec<String>,
    /// Imports from one feature into another.
    pub crossings: Vec<String>,
}

/// Reads the crate at `root/layout.dir` and lists what breaks the two rules.
pub fn check(root: &Path, layout: &Layout) -> Findings {
    let graph = Graph::read(&root.join(layout.dir).join("src"), layout);
    let mut findings = Findings::default();
    for circle in graph.circles() {
        let mut line = format!("circle of {} files:", circle.len());
        for (from, to) in &graph.edges {
            if circle.contains(from) && circle.contains(to) {
                line.push_str(&format!(" {from} -> {to};"));
            }
        }
        findings.circles.push(line);
    }
    for (from, to) in &graph.edges {
        if let (Some(a), Some(b)) = (graph.shared(from), graph.feature(to)) {
            findings
                .crossings
                .push(format!("{from} (shared {a}) imports {to} ({b})"));
        }
        if let (Some(a), Some(b)) = (graph.feature(from), graph.feature(to)) {
            if a != b {
                findings
                    .crossings
                    .push(format!("{from} ({a}) imports {to} ({b})"));
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::{LAYOUTS, check};
    use std::path::Path;

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask sits in the workspace")
    }

    /// Every crate's findings of one kind, each line prefixed with the crate's folder.
    fn all(pick: fn(super::Findings) -> Vec<String>) -> Vec<String> {
        LAYOUTS
            .iter()
            .flat_map(|layout| {
                pick(check(root(), layout))
                    .into_iter()
                    .map(move |line| format!("{}/src: {line}", layout.dir))
            })
            .collect()
    }

    #[test]
    fn no_two_files_import_each_other() {
        let circles = all(|found| found.circles);
        assert!(circles.is_empty(), "files import each other: {circles:#?}");
    }

    #[test]
    fn no_feature_imports_another_feature() {
        let crossings = all(|found| found.crossings);
        assert!(
            crossings.is_empty(),
            "features import each other: {crossings:#?}"
        );
    }

    #[test]
    fn a_circle_and_a_crossing_are_found() {
        let dir = std::env::temp_dir().join(format!("module-graph-{}", std::process::id()));
        let src = dir.join("src");
        std::fs::create_dir_all(src.join("offers")).expect("temp dir");
        let files = [
            ("lib.rs", "mod a;\nmod b;\nmod offers;\nmod reviews;\n"),
            ("a.rs", "use crate::b::B;\npub struct A;\n"),
            ("b.rs", "use crate::a::A;\npub struct B;\n"),
            ("offers/mod.rs", "pub mod dates;\n"),
            ("offers/dates.rs", "pub fn day() {}\n"),
            ("reviews.rs", "fn f() { crate::offers::dates::day() }\n"),
        ];
        for (name, text) in files {
            std::fs::write(src.join(name), text).expect("a temp file");
        }
        let layout = super::Layout {
            dir: "",
            library: "t",
            features: &["reviews", "offers"],
            by_feature: &[],
            shared: &[],
        };
        let found = check(&dir, &layout);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(found.circles.len(), 1, "{found:?}");
        assert_eq!(
            found.crossings,
            ["reviews.rs (reviews) imports offers/dates.rs (offers)"]
        );
    }
}

/// Which compiled crate a module belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Crate {
    Library,
    Binary,
}

/// One module: its path from its crate's root and the file that holds it.
#[derive(Debug, Clone)]
struct Module {
    krate: Crate,
    path: Vec<String>,
    file: String,
}

/// The files of `src/` and which imports which.
struct Graph {
    /// The crate's rules.
    library: &'static str,
    features: &'static [&'static str],
    by_feature: &'static [&'static str],
    shared: &'static [&'static str],
    /// Every module, inline ones included (they map to their file).
    modules: Vec<Module>,
    /// Every file, relative to `src/`.
    files: BTreeSet<String>,
    /// (importing file, imported file), each once.
    edges: BTreeSet<(String, String)>,
}

impl Graph {
    fn read(src: &Path, layout: &Layout) -> Graph {
        let mut modules = Vec::new();
        for (root, krate) in [("lib.rs", Crate::Library), ("main.rs", Crate::Binary)] {
            if src.join(root).exists() {
                declare(src, &src.join(root), krate, Vec::new(), &mut modules);
            }
        }
        let files: BTreeSet<String> = modules.iter().map(|m| m.file.clone()).collect();
        let mut graph = Graph {
            library: layout.library,
            features: layout.features,
            by_feature: layout.by_feature,
            shared: layout.shared,
            modules,
            files,
            edges: BTreeSet::new(),
        };
        let file_modules: Vec<Module> = graph.modules.clone();
        for module in &file_modules {
            let text = fs::read_to_string(src.join(&module.file)).expect("a source file");
            for target in graph.imports(module, &text) {
                if target != module.file {
                    graph.edges.insert((module.file.clone(), target));
                }
            }
        }
        graph
    }

    /// The feature a file belongs to, if any.
    /// The shared folder `file` belongs to, if any.
    fn shared(&self, file: &str) -> Option<&'static str> {
        let module = self
            .modules
            .iter()
            .find(|m| m.file == file && m.krate == Crate::Library)?;
        let first = module.path.first()?;
        self.shared.iter().copied().find(|f| f == first)
    }

    fn feature(&self, file: &str) -> Option<&'static str> {
        let module = self
            .modules
            .iter()
            .find(|m| m.file == file && m.krate == Crate::Library)?;
        let path = match module.path.first() {
            Some(first) if self.by_feature.contains(&first.as_str()) => &module.path[1..],
            _ => &module.path[..],
        };
        let first = path.first()?;
        self.features.iter().copied().find(|f| f == first)
    }

    /// The files `text` (the file of `module`) imports from, in the same crate or the library.
    fn imports(&self, module: &Module, text: &str) -> BTreeSet<String> {
        let lines: Vec<String> = text.lines().map(strip_comment).collect();
        let mut targets = BTreeSet::new();
        // Inline modules open at some indentation and close at the same one (rustfmt's layout).
        let mut inline: Vec<(usize, String)> = Vec::new();
        let mut aliases: BTreeMap<String, (Crate, Vec<String>)> = BTreeMap::new();
        let mut statement: Option<String> = None;
        for line in &lines {
            let indent = line.len() - line.trim_start().len();
            let trimmed = line.trim();
            if let Some((depth, _)) = inline.last() {
                if trimmed == "}" && indent == *depth {
                    inline.pop();
                    continue;
                }
            }
            let here: Vec<String> = module
                .path
                .iter()
                .cloned()
                .chain(inline.iter().map(|(_, name)| name.clone()))
                .collect();
            if let Some(name) = inline_module(trimmed) {
                inline.push((indent, name));
                continue;
            }
            if statement.is_none() && use_body(trimmed).is_some() {
                statement = Some(String::new());
            }
            if let Some(text) = statement.as_mut() {
                text.push_str(trimmed);
                text.push(' ');
                if trimmed.ends_with(';') {
                    let body = use_body(text.trim()).unwrap_or_default();
                    let body = body.trim_end_matches(';').trim().to_owned();
                    statement = None;
                    for Named { path, alias, glob } in expand(&body) {
                        let Some((krate, absolute)) =
                            self.absolute(module.krate, &here, &aliases, &path)
                        else {
                            continue;
                        };
                        let is_module = self.module(krate, &absolute).is_some();
                        if is_module && !glob {
                            // Binding a module's name imports nothing yet; its uses below do.
                            let name = alias
                                .unwrap_or_else(|| absolute.last().cloned().unwrap_or_default());
                            aliases.insert(name, (krate, absolute));
                        } else if let Some(file) = self.file_of(krate, &absolute) {
                            targets.insert(file);
                        }
                    }
                }
                continue;
            }
            for path in paths_in(trimmed) {
                if let Some((krate, absolute)) = self.absolute(module.krate, &here, &aliases, &path)
                {
                    if let Some(file) = self.file_of(krate, &absolute) {
                        targets.insert(file);
                    }
                }
            }
        }
        targets
    }

    /// `path` as written in module `here` of `krate`, from its crate's root; `None` when it
    /// leads outside this package (another crate, or not a module path at all).
    fn absolute(
        &self,
        krate: Crate,
        here: &[String],
        aliases: &BTreeMap<String, (Crate, Vec<String>)>,
        path: &[String],
    ) -> Option<(Crate, Vec<String>)> {
        let first = path.first()?.as_str();
        let (krate, mut base, rest) = match first {
            "crate" => (krate, Vec::new(), &path[1..]),
            name if name == self.library && krate == Crate::Binary => {
                (Crate::Library, Vec::new(), &path[1..])
            }
            "self" => (krate, here.to_vec(), &path[1..]),
            "super" => {
                let mut base = here.to_vec();
                let mut rest = path;
                while rest.first().is_some_and(|s| s == "super") {
                    base.pop();
                    rest = &rest[1..];
                }
                (krate, base, rest)
            }
            name => {
                if let Some((k, target)) = aliases.get(name) {
                    (*k, target.clone(), &path[1..])
                } else {
                    let mut child = here.to_vec();
                    child.push(name.to_owned());
                    self.module(krate, &child)?;
                    (krate, here.to_vec(), path)
                }
            }
        };
        base.extend(rest.iter().cloned());
        Some((krate, base))
    }

    fn module(&self, krate: Crate, path: &[String]) -> Option<&Module> {
        self.modules
            .iter()
            .find(|m| m.krate == krate && m.path == path)
    }

    /// The file of the deepest module along `path`.
    fn file_of(&self, krate: Crate, path: &[String]) -> Option<String> {
        (0..=path.len())
            .rev()
            .find_map(|n| self.module(krate, &path[..n]))
            .map(|m| m.file.clone())
    }

    /// Every circle of imports, as the files in it (strongly connected components of two or
    /// more files).
    fn circles(&self) -> Vec<Vec<String>> {
        let reach = |from: &str| -> BTreeSet<String> {
            let mut seen = BTreeSet::new();
            let mut todo = vec![from.to_owned()];
            while let Some(file) = todo.pop() {
                for (a, b) in &self.edges {
                    if *a == file && seen.insert(b.clone()) {
                        todo.push(b.clone());
                    }
                }
            }
            seen
        };
        let reachable: BTreeMap<&String, BTreeSet<String>> =
            self.files.iter().map(|f| (f, reach(f))).collect();
        let mut circles: Vec<Vec<String>> = Vec::new();
        let mut placed = BTreeSet::new();
        for file in &self.files {
            if placed.contains(file) || !reachable[file].contains(file) {
                continue;
            }
            let circle: Vec<String> = self
                .files
                .iter()
                .filter(|other| reachable[file].contains(*other) && reachable[other].contains(file))
                .cloned()
                .collect();
            placed.extend(circle.iter().cloned());
            circles.push(circle);
        }
        circles
    }
}

/// Adds the module in `file` at `path` and, through its `mod x;` lines, every module below it.
fn declare(src: &Path, file: &Path, krate: Crate, path: Vec<String>, modules: &mut Vec<Module>) {
    let text = fs::read_to_string(file).expect("a declared module's file");
    let relative = file
        .strip_prefix(src)
        .expect("inside src")
        .to_string_lossy()
        .into_owned();
    modules.push(Module {
        krate,
        path: path.clone(),
        file: relative.clone(),
    });
    let dir: PathBuf = match file.file_name().and_then(|n| n.to_str()) {
        Some("lib.rs" | "main.rs" | "mod.rs") => file.parent().expect("a folder").to_owned(),
        _ => file.with_extension(""),
    };
    let mut inline: Vec<(usize, String)> = Vec::new();
    for line in text.lines().map(strip_comment) {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if let Some((depth, _)) = inline.last() {
            if trimmed == "}" && indent == *depth {
                inline.pop();
                continue;
            }
        }
        let mut child = path.clone();
        child.extend(inline.iter().map(|(_, name)| name.clone()));
        if let Some(name) = inline_module(trimmed) {
            child.push(name.clone());
            modules.push(Module {
                krate,
                path: child,
                file: relative.clone(),
            });
            inline.push((indent, name));
        } else if let Some(name) = declared_module(trimmed) {
            child.push(name.clone());
            let flat = dir.join(format!("{name}.rs"));
            let nested = dir.join(&name).join("mod.rs");
            let found = if flat.exists() { flat } else { nested };
            declare(src, &found, krate, child, modules);
        }
    }
}

/// `x` of a `mod x;` line.
fn declared_module(line: &str) -> Option<String> {
    let rest = without_visibility(line).strip_prefix("mod ")?;
    let name = rest.strip_suffix(';')?.trim();
    is_identifier(name).then(|| name.to_owned())
}

/// `x` of a `mod x {` line.
fn inline_module(line: &str) -> Option<String> {
    let rest = without_visibility(line).strip_prefix("mod ")?;
    let name = rest.strip_suffix('{')?.trim();
    is_identifier(name).then(|| name.to_owned())
}

/// What follows `use` on a line that starts a use statement.
fn use_body(line: &str) -> Option<&str> {
    without_visibility(line).strip_prefix("use ")
}

fn without_visibility(line: &str) -> &str {
    let Some(rest) = line.strip_prefix("pub") else {
        return line;
    };
    match rest.strip_prefix('(') {
        Some(inner) => inner.split_once(')').map_or(line, |(_, r)| r.trim_start()),
        None => rest.strip_prefix(' ').unwrap_or(line),
    }
}

fn is_identifier(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// The line without its `//` comment (a `//` inside a string cuts the line short, which only
/// hides what follows it on that line).
fn strip_comment(line: &str) -> String {
    match line.find("//") {
        Some(at) => line[..at].to_owned(),
        None => line.to_owned(),
    }
}

/// What one leaf of a use tree names.
struct Named {
    path: Vec<String>,
    /// The `as` name, if any.
    alias: Option<String>,
    /// Whether it is `path::*`: every item of a module.
    glob: bool,
}

/// The paths a use tree names.
fn expand(tree: &str) -> Vec<Named> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let (path, alias) = match tree.split_once(" as ") {
            Some((path, alias)) => (path.trim(), Some(alias.trim().to_owned())),
            None => (tree, None),
        };
        let mut segments: Vec<String> = path
            .split("::")
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        let glob = segments.last().is_some_and(|s| s == "*");
        if glob || segments.last().is_some_and(|s| s == "self") {
            segments.pop();
        }
        return if segments.is_empty() {
            Vec::new()
        } else {
            vec![Named {
                path: segments,
                alias,
                glob,
            }]
        };
    };
    let close = tree.rfind('}').unwrap_or(tree.len());
    let prefix = tree[..open].trim_end_matches("::").trim();
    let mut items = Vec::new();
    let mut depth = 0;
    let mut start = open + 1;
    for (i, c) in tree[..close].char_indices().skip(open + 1) {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&tree[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&tree[start..close]);
    items
        .into_iter()
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .flat_map(|item| {
            let joined = if prefix.is_empty() {
                item.to_owned()
            } else {
                format!("{prefix}::{item}")
            };
            expand(&joined)
        })
        .collect()
}

/// Every `a::b::c` path on a line of code, but for `pub(in a::b)`, which names who may see an
/// item rather than importing one.
fn paths_in(line: &str) -> Vec<Vec<String>> {
    let mut line = line.to_owned();
    while let Some(start) = line.find("pub(in ") {
        let end = line[start..]
            .find(')')
            .map_or(line.len(), |e| start + e + 1);
        line.replace_range(start..end, "");
    }
    let line = line.as_str();
    let mut found = Vec::new();
    let bytes = line.as_bytes();
    let is_part = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b':';
    let mut i = 0;
    while i < bytes.len() {
        let starts = is_part(bytes[i])
            && bytes[i] != b':'
            && (i == 0 || !is_part(bytes[i - 1]) && bytes[i - 1] != b'$');
        if !starts {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < bytes.len() && is_part(bytes[end]) {
            end += 1;
        }
        let text = line[i..end].trim_end_matches(':');
        if text.contains("::") {
            found.push(text.split("::").map(str::to_owned).collect());
        }
        i = end;
    }
    found
}
