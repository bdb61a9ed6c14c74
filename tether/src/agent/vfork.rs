//! Starting a child the way `posix_spawn` does: `clone(CLONE_VM |
//! CLONE_VFORK)` on a stack of its own. The child shares the tether's
//! memory until it execs or exits, and the calling thread waits that long,
//! so nothing is copied: no page tables, and no copy-on-write faults in
//! the tether's threads afterwards (each a trap the guest's kernel
//! handles, slow under TCG). A plain `fork` copied both on every exec.
//!
//! The child must only make system calls, none through libc wrappers that
//! act on the whole (shared) process: glibc's `setuid`, `setgid` and
//! `setgroups` signal every thread of the tether to change its
//! credentials too, so the child calls the system calls themselves
//! ([`setgroups`], [`setgid`], [`setuid`]).

use std::io;

/// The child's stack: what `child_main` uses is a few KiB.
const STACK: usize = 128 * 1024;

/// Run `child` in a new process that shares this one's memory, and return
/// its pid once it has exec'd or exited; `flags` are added to the
/// clone's (CLONE_NEWPID). All signals are blocked in the calling thread
/// around the clone, so the child starts with them blocked (it resets
/// dispositions before it unblocks them).
///
/// # Safety
/// `child` should not return (if it does, the child exits with 127) and may only make async-signal-safe system
/// calls (see the module's note on credentials); it runs on a separate
/// stack in the same address space while the caller is suspended.
pub unsafe fn spawn(child: &mut dyn FnMut(), flags: libc::c_int) -> io::Result<libc::pid_t> {
    // SAFETY: as the caller promises; the child shares this memory.
    unsafe { clone(child, libc::CLONE_VM | libc::CLONE_VFORK | flags) }
}

/// `clone` with `flags` (and SIGCHLD) running `child` on a stack of its
/// own, every signal blocked in the calling thread around it.
///
/// # Safety
/// As for [`spawn`].
unsafe fn clone(child: &mut dyn FnMut(), flags: libc::c_int) -> io::Result<libc::pid_t> {
    extern "C" fn trampoline(arg: *mut libc::c_void) -> libc::c_int {
        // SAFETY: `arg` is the `&mut &mut dyn FnMut` below, alive while the
        // parent is suspended (CLONE_VFORK) or copied with the memory.
        let child = unsafe { &mut *arg.cast::<&mut dyn FnMut()>() };
        child();
        // SAFETY: leaving the child without running anything of the parent's.
        unsafe { libc::_exit(127) }
    }
    let mut stack = vec![0u8; STACK];
    // SAFETY: the top of the buffer, aligned down to 16 bytes as the ABI
    // wants at a call.
    let top = unsafe { stack.as_mut_ptr().add(STACK) };
    let top = (top as usize & !15) as *mut libc::c_void;
    let mut arg: &mut dyn FnMut() = child;
    // SAFETY: sigset_t is plain data, filled by sigfillset; the masks are
    // the calling thread's and restored right after.
    unsafe {
        let mut all: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut old);
        let pid = libc::clone(
            trampoline,
            top,
            flags | libc::SIGCHLD,
            (&mut arg as *mut &mut dyn FnMut()).cast(),
        );
        let e = io::Error::last_os_error();
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
        drop(stack);
        if pid < 0 { Err(e) } else { Ok(pid) }
    }
}

/// Run `child` in a copy of this process (`fork`, or a `clone` with
/// `flags` added: CLONE_NEWPID), with every signal blocked as [`spawn`]
/// does, for a child that must not share the tether's memory; return its
/// pid at once.
///
/// # Safety
/// As for [`spawn`]: `child` should not return (the copy then exits with
/// 127) and may only make async-signal-safe calls (the copy has one
/// thread; the tether's others are not there).
pub unsafe fn fork(child: &mut dyn FnMut(), flags: libc::c_int) -> io::Result<libc::pid_t> {
    if flags != 0 {
        // SAFETY: as the caller promises; the child has a copy.
        return unsafe { clone(child, flags) };
    }
    // SAFETY: as for `spawn`: masks saved and restored in this thread; the
    // child runs `child` and leaves by `_exit`.
    unsafe {
        let mut all: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut old);
        let pid = libc::fork();
        if pid == 0 {
            child();
            libc::_exit(127);
        }
        let e = io::Error::last_os_error();
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
        if pid < 0 { Err(e) } else { Ok(pid) }
    }
}

/// `setgroups(2)` itself (not glibc's, which changes every thread's).
///
/// # Safety
/// `groups` points to `n` valid gids.
pub unsafe fn setgroups(n: usize, groups: *const libc::gid_t) -> libc::c_long {
    // SAFETY: as the caller promises.
    unsafe { libc::syscall(libc::SYS_setgroups, n, groups) }
}

/// `setgid(2)` itself.
pub fn setgid(gid: libc::gid_t) -> libc::c_long {
    // SAFETY: a plain system call.
    unsafe { libc::syscall(libc::SYS_setgid, gid) }
}

/// `setuid(2)` itself.
pub fn setuid(uid: libc::uid_t) -> libc::c_long {
    // SAFETY: a plain system call.
    unsafe { libc::syscall(libc::SYS_setuid, uid) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forked_child_has_a_copy_and_the_parent_goes_on_at_once() {
        let mut seen = 0u32;
        let p: *mut u32 = &mut seen;
        let (r, w) = {
            let mut fds = [0; 2];
            // SAFETY: pipe into a two-int array.
            assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
            (fds[0], fds[1])
        };
        let mut child = || {
            // SAFETY: the child's own copy of `seen`; it waits for the
            // parent's byte, so the parent ran on while it lived.
            unsafe {
                *p = 42;
                let mut b = [0u8; 1];
                libc::read(r, b.as_mut_ptr().cast(), 1);
                libc::_exit(7)
            }
        };
        // SAFETY: the child writes its copy, reads a pipe and exits.
        let pid = unsafe { fork(&mut child, 0) }.unwrap();
        // SAFETY: `p` points to `seen`, alive here.
        assert_eq!(unsafe { std::ptr::read_volatile(p) }, 0);
        // SAFETY: one byte from a local buffer to our pipe.
        assert_eq!(unsafe { libc::write(w, [1u8].as_ptr().cast(), 1) }, 1);
        let mut status = 0;
        // SAFETY: waiting for our own child.
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 7);
        // SAFETY: closing our pipe's ends.
        unsafe {
            libc::close(r);
            libc::close(w);
        }
    }

    #[test]
    fn the_child_runs_in_shared_memory_and_the_parent_resumes_after_it_exits() {
        let mut seen = 0u32;
        let p: *mut u32 = &mut seen;
        let mut child = || {
            // SAFETY: the parent is suspended until this exits.
            unsafe {
                *p = 42;
                libc::_exit(7)
            }
        };
        // SAFETY: the child only writes one word and exits.
        let pid = unsafe { spawn(&mut child, 0) }.unwrap();
        // The parent was suspended until the child exited: the write is there.
        // SAFETY: `p` points to `seen`, alive here.
        assert_eq!(unsafe { std::ptr::read_volatile(p) }, 42);
        let mut status = 0;
        // SAFETY: waiting for our own child.
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 7);
    }
}
