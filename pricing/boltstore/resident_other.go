//go:build !linux

package boltstore

// releaseMapped is a no-op where madvise is not used.
func releaseMapped(addr, size uintptr) error { return nil }
