/*
 * engine_fallback.c - weak definitions of the engine entry points, used only
 * while no engine is linked: KVM_RUN then stops with KVM_EXIT_INTERNAL_ERROR
 * instead of pretending to run. The real engine (src/engine) overrides them.
 */
#include <stdlib.h>

#include "engine/engine.h"

__attribute__((weak)) struct engine_cache *engine_cache_new(void)
{
    return malloc(1);
}

__attribute__((weak)) void engine_cache_free(struct engine_cache *c)
{
    free(c);
}

__attribute__((weak)) void engine_cache_flush(struct engine_cache *c)
{
    (void)c;
}

__attribute__((weak)) void engine_run(struct cpu *cpu, struct engine_env *env, struct engine_cache *c,
                                      struct engine_exit *out)
{
    (void)cpu; (void)env; (void)c;
    out->kind = ENGINE_EXIT_INTERNAL;
    out->internal.msg = "no execution engine linked";
}

__attribute__((weak)) void engine_inject_sync(struct cpu *cpu, uint64_t esr, bool far_valid, uint64_t far)
{
    (void)cpu; (void)esr; (void)far_valid; (void)far;
}
