// The Linux system interfaces that Swift's Glibc module does not export: epoll, eventfd and accept4.
#ifndef CLINUXSHIMS_H
#define CLINUXSHIMS_H

#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>

/// accept4(2): accepts a connection already non-blocking and close-on-exec, in one system call.
/// (Defined in shims.c, where _GNU_SOURCE can be set without changing how glibc's headers import.)
int clinux_accept_nonblocking(int descriptor);
#endif

#endif
