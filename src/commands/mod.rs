//! The porcelain: one module per noun, each turning parsed arguments into
//! plumbing calls and rendering the result.
