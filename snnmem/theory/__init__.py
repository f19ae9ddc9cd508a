"""Mean-field theory of snnmem's circuits (numpy and scipy only; no Brian2)."""
