// Package commands holds etcdctl's verbs, one file per verb family. Every command is built by a
// NewCmdX(f) constructor from the shared factory; its work lives in a runX(opts) function that
// returns an error (never exits), so tests can drive it in-process.
package commands
