/*
 * compat/asm/sve_context.h - arm64 <asm/sve_context.h> for builds on any host: forwards to <softkvm/kvm.h>,
 * which restates the arm64 Linux 6.1 uapi headers (see the comment there).
 * Use with -I <prefix>/include/softkvm/compat.
 */
#include "../../kvm.h"
