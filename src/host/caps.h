/*
 * caps.h - KVM_CHECK_EXTENSION for the emulated host.
 */
#ifndef SOFTKVM_HOST_CAPS_H
#define SOFTKVM_HOST_CAPS_H

#include <stdbool.h>
#include "host/host.h"

/* Without an in-kernel GICv2, arm64 6.1 allows 512 vCPUs (KVM_MAX_VCPUS). */
#define VM_DEFAULT_MAX_VCPUS 512

/* Value KVM_CHECK_EXTENSION returns (>= 0) or -errno. on_vm: asked on a VM fd. */
long host_check_extension(const struct host *h, unsigned vm_max_vcpus, bool on_vm, long cap);

/* Why a capability 6.1 offers is answered 0 here (NULL if it is not). */
const char *host_cap_missing_note(long cap);

#endif
