#ifdef __linux__
#define _GNU_SOURCE
#include <spawn.h>
#include <sys/socket.h>
#include "CLinuxShims.h"

int clinux_accept_nonblocking(int descriptor) {
    return accept4(descriptor, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

int clinux_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}
#endif
