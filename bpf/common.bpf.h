/* Includes and small helpers every gamesched BPF object uses. */
#ifndef GAMESCHED_COMMON_BPF_H
#define GAMESCHED_COMMON_BPF_H

#define BPF_NO_KFUNC_PROTOTYPES
/* The generated header has a few anonymous forward declarations clang warns about. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wmissing-declarations"
#include "vmlinux.h"
#pragma clang diagnostic pop
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "intf.h"
#include "scx_kfuncs.h"

char _license[] SEC("license") = "GPL";

#define BPF_STRUCT_OPS(name, args...) SEC("struct_ops/" #name) BPF_PROG(name, ##args)
#define BPF_STRUCT_OPS_SLEEPABLE(name, args...) SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

/* The iterator bpf_for_each() declares, for kfuncs that act on the element being visited. */
#define BPF_FOR_EACH_ITER (&___it)

/* An index into an array of `size` (a power of two) that the verifier can see is in bounds:
 * masked behind a barrier, so that the compiler cannot drop the mask as redundant with a bound
 * checked on another copy of the value. */
#define gs_index(i, size)                                 \
	({                                                \
		u32 ___i = (u32)(i);                      \
		asm volatile("" : "+r"(___i));            \
		___i & ((size) - 1);                      \
	})

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* scx_bpf_error() with printf-style arguments packed the way the _bstr kfunc wants them. */
#define scx_bpf_error(fmt, args...)                                                     \
	({                                                                              \
		static char ___fmt[] = fmt;                                             \
		unsigned long long ___param[___bpf_narg(args)];                         \
		_Pragma("GCC diagnostic push")                                          \
		_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")                  \
		___bpf_fill(___param, args);                                            \
		_Pragma("GCC diagnostic pop")                                           \
		scx_bpf_error_bstr(___fmt, ___param, sizeof(___param));                 \
	})

/* The kernel's exit information, copied out in ops.exit so the core can log why the scheduler
 * stopped after the link is gone (user_exit_info-style). The core also gets a ring buffer record
 * so that it wakes at once instead of polling. */
struct gs_exit_info exit_info SEC(".data");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} exit_events SEC(".maps");

static __always_inline void gs_record_exit(struct scx_exit_info *ei)
{
	u32 *note;

	exit_info.exit_code = ei->exit_code;
	bpf_probe_read_kernel_str(exit_info.reason, sizeof(exit_info.reason), ei->reason);
	bpf_probe_read_kernel_str(exit_info.msg, sizeof(exit_info.msg), ei->msg);
	/* kind last: the core treats a non-zero kind as "the record is complete". */
	asm volatile("" ::: "memory");
	exit_info.kind = ei->kind;

	note = bpf_ringbuf_reserve(&exit_events, sizeof(*note), 0);
	if (note) {
		*note = ei->kind;
		bpf_ringbuf_submit(note, 0);
	}
}

/* Per-CPU counters: the core sums them across CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u64));
	__uint(max_entries, GS_NR_STATS);
} stats SEC(".maps");

static __always_inline void stat_inc(u32 idx)
{
	u64 *cnt = bpf_map_lookup_elem(&stats, &idx);

	if (cnt)
		(*cnt)++;
}

#endif /* GAMESCHED_COMMON_BPF_H */
