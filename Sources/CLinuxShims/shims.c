#ifdef __linux__
#define _GNU_SOURCE
#include <sys/socket.h>
#include "CLinuxShims.h"

int clinux_accept_nonblocking(int descriptor) {
    return accept4(descriptor, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
}
#endif
