// The Linux system interfaces that Swift's Glibc module does not export: epoll, eventfd, accept4 and
// posix_spawn's close-from action.
#ifndef CLINUXSHIMS_H
#define CLINUXSHIMS_H

#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <spawn.h>

/// accept4(2): accepts a connection already non-blocking and close-on-exec, in one system call.
/// (Defined in shims.c, where _GNU_SOURCE can be set without changing how glibc's headers import.)
int clinux_accept_nonblocking(int descriptor);

/// posix_spawn_file_actions_addclosefrom_np(3) (glibc 2.34): the child closes every descriptor from
/// `lowest` up. The tests' child processes (TestSupport's ChildProcess) inherit no socket of the test's.
int clinux_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);
#endif

#endif
