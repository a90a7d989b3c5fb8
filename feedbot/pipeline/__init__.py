"""Pipeline: one run (list pages -> articles -> health -> store -> output) and backfill; the only
package that connects the edges (fetch, extract, store, publish)."""
