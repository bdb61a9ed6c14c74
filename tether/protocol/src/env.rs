//! A process's environment as docker and runc make it, the same on the
//! host (an image config written by `domain commit`) and in every tether
//! (the environment a process starts with): one entry per name, the last
//! value given winning in the place of the first — an image's `PATH`
//! overridden by `-e PATH=…`, an env file's value by `-e`. execve passes
//! duplicates through, and a C program's getenv finds the first.

use std::collections::HashMap;

/// `env` (`NAME=VALUE` entries; a bare `NAME` is a name too) with each
/// name once.
pub fn merged(env: &[String]) -> Vec<String> {
    let name = |e: &str| e.split_once('=').map_or(e, |(k, _)| k).to_string();
    let mut out: Vec<String> = Vec::with_capacity(env.len());
    let mut at: HashMap<String, usize> = HashMap::new();
    for e in env {
        match at.get(&name(e)) {
            Some(&i) => out[i] = e.clone(),
            None => {
                at.insert(name(e), out.len());
                out.push(e.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_name_is_set_once_with_its_last_value_in_its_first_place() {
        let env: Vec<String> = ["PATH=/image", "A=1", "B=x", "PATH=/mine", "A=2", "C", "C=3"]
            .map(String::from)
            .to_vec();
        assert_eq!(merged(&env), ["PATH=/mine", "A=2", "B=x", "C=3"]);
        assert!(merged(&[]).is_empty());
    }
}
