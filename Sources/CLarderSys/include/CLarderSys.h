#ifndef CLARDER_SYS_H
#define CLARDER_SYS_H

/// Syscalls that swift-system and Glibc's Swift overlay lack, wrapped for Swift.

/// Renames `from` to `to` only if `to` does not exist (renameat2 RENAME_NOREPLACE).
/// Returns 0, or -1 with errno set (EEXIST when `to` exists; ENOSYS/EINVAL when the
/// filesystem or kernel cannot do it, in which case callers fall back to link + unlink).
int clarder_rename_noreplace(const char *from, const char *to);

/// fdatasync(2).
int clarder_fdatasync(int fd);

/// Starts writing back the dirty pages of `fd` in [offset, offset + length) without waiting
/// (sync_file_range SYNC_FILE_RANGE_WRITE; a later fdatasync or msync still waits for them).
/// Returns 0, or -1 with errno set; a no-op returning 0 where the call does not exist.
int clarder_start_writeback(int fd, long long offset, long long length);

/// Keeps freed blocks of up to 32 MiB in glibc's heap for reuse instead of returning them to
/// the kernel (mmap threshold 32 MiB, heap trimming off). For executables only: it is
/// process-wide policy. No-op where glibc's malloc is absent.
void clarder_tune_allocator(void);

#endif
