//! The tether agent: PID 1 of every containerVM.

fn main() {}
