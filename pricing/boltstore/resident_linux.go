package boltstore

import "syscall"

// releaseMapped advises the kernel that [addr, addr+size) of the file
// mapping is not needed. For a shared file mapping MADV_DONTNEED only
// unmaps the pages; the next access reads them back from the page cache.
func releaseMapped(addr, size uintptr) error {
	if addr == 0 || size == 0 {
		return nil
	}
	if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, addr, size, syscall.MADV_DONTNEED); errno != 0 {
		return errno
	}
	return nil
}
