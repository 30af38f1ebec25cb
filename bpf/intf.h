/* Structs and enums shared by the BPF programs and userspace: defined here once, included by
 * both. Fixed-width types only; every struct that crosses the boundary has its size and field
 * offsets checked by static_asserts on the C++ side (core/bpf_abi_check.cpp), as are the enum
 * values that ipc/ mirrors. */
#ifndef GAMESCHED_BPF_INTF_H
#define GAMESCHED_BPF_INTF_H

#ifndef __VMLINUX_H__
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
#endif

#define GS_OPS_NAME "gamesched"
#define GS_FIFO_OPS_NAME "gs_fifo"

enum gs_limits {
	GS_MAX_CPUS = 512,
	GS_MAX_GAMES = 64,        /* game TGIDs held at once, all users together */
	GS_MAX_GAME_THREADS = 4096,
	GS_MAX_NAME_HINTS = 256,
	GS_MAX_INPUT_DEVICES = 64,
	GS_MAX_DESKTOP_PROCS = 32,  /* compositors and audio servers, all users together */
	GS_COMM_LEN = 16,
	GS_EXIT_MSG_LEN = 1024,
	GS_EXIT_REASON_LEN = 128,
	GS_WAIT_HIST_BUCKETS = 16, /* log2 buckets of microseconds: [0,1) [1,2) [2,4) ... */
};

/* DSQ ids: a shared queue per LLC domain, bounded by GS_MAX_LLCS, and a queue per CPU for
 * the turns of CPU-bound tasks (GS_DSQ_CPU_BASE + CPU, bounded by GS_MAX_CPUS). */
enum gs_dsq {
	GS_DSQ_LLC_BASE = 0x100,
	GS_MAX_LLCS = 64,
	GS_DSQ_CPU_BASE = 0x1000,
};

/* Thread roles of game threads, inferred in BPF. Numbers are stable (they appear in stats). */
enum gs_role {
	GS_ROLE_NONE = 0,   /* not a game thread */
	GS_ROLE_WORKER = 1, /* game thread with no sharper role yet */
	GS_ROLE_INPUT = 2,
	GS_ROLE_RENDER = 3,
	GS_ROLE_GPU_SUBMIT = 4,
	GS_ROLE_AUDIO = 5,
	GS_NR_ROLES = 6,
};

enum gs_input_class {
	GS_INPUT_KEYBOARD = 0,
	GS_INPUT_MOUSE = 1,
	GS_INPUT_GAMEPAD = 2,
	GS_NR_INPUT_CLASSES = 3,
};

/* Per-CPU counters, summed by the core. Append only: the index is part of the stats schema. */
enum gs_stat {
	GS_STAT_ENQUEUE = 0,
	GS_STAT_DIRECT_IDLE,     /* placed straight onto an idle CPU */
	GS_STAT_SHARED_QUEUE,    /* went through a deadline-ordered shared queue */
	GS_STAT_DISPATCH,
	GS_STAT_GAME_ENQUEUE,    /* enqueues of game threads */
	GS_STAT_BOOSTED,         /* enqueues that got a boosted deadline */
	GS_STAT_PREEMPT_KICK,    /* boosted wakeup kicked a less important task off a CPU */
	GS_STAT_SLICE_REFILL,    /* a task kept its CPU at its slice's end: nothing more urgent waited */
	GS_STAT_INPUT_KEYBOARD,  /* input events that opened/extended a boost window, per class */
	GS_STAT_INPUT_MOUSE,
	GS_STAT_INPUT_GAMEPAD,
	GS_STAT_INPUT_IGNORED,   /* input events from devices not on the allow-list */
	GS_STAT_EXEC_EVENT,
	GS_STAT_EXIT_EVENT,
	GS_STAT_RINGBUF_DROP,
	GS_STAT_ROLE_CHANGE,     /* a game thread's inferred role changed */
	GS_STAT_DESKTOP_BOOSTED, /* enqueues of a compositor/audio server boosted for a focused game */
	GS_STAT_RESUMED,         /* a game thread preempted by its own input handler resumed first */
	GS_STAT_PREEMPT_HERE,    /* of the preemptions, those of the CPU the wakeup ran on */
	GS_STAT_CPU_QUEUE,       /* a CPU-bound task queued on its own CPU after its turn */
	GS_STAT_STEAL,           /* a CPU took a task from another CPU's queue */
	GS_NR_STATS,
};

/* Runtime tunables: one entry in an array map the core rewrites at any time (profiles and
 * autotune apply without a reload). Units are in the names; 0 means "off" where noted. */
struct gs_tunables {
	u64 slice_ns;                 /* slice of CPU-bound tasks (the longest slice) */
	u64 slice_min_ns;             /* slice of short bursts; also the preemption margin */
	u64 lag_clamp_ns;             /* how far a waking task may be behind the vtime clock */
	u64 runtime_cap_ns;           /* cap of the runtime term of a deadline (bounds starvation) */
	u64 input_window_ns[GS_NR_INPUT_CLASSES]; /* boost window per device class; 0 = off */
	u32 game_boost_pct;           /* deadline shrink for game threads, 0..90 */
	u32 focus_boost_pct;          /* extra shrink for the focused game, 0..90 */
	u32 input_boost_pct;          /* extra shrink for input/render during a window, 0..90 */
	u32 preempt_enabled;          /* urgent wakeups may kick a less urgent running task */
	u32 mode;                     /* scx_loader mode number, see enum gs_mode */
	u32 pad;
};

/* The built-in defaults ("auto" mode), written into the tunables map by the core before the
 * scheduler attaches; the BPF side falls back to them only if that map were ever empty. */
#define GS_TUNABLES_DEFAULTS                                                                    \
	{                                                                                       \
		.slice_ns = 20 * 1000000ULL, .slice_min_ns = 1000000ULL,                        \
		.lag_clamp_ns = 20 * 1000000ULL, .runtime_cap_ns = 20 * 1000000ULL,             \
		.input_window_ns = { 100 * 1000000ULL, 20 * 1000000ULL, 50 * 1000000ULL },      \
		.game_boost_pct = 30, .focus_boost_pct = 20, .input_boost_pct = 30,             \
		.preempt_enabled = 1, .mode = 0, .pad = 0,                                      \
	}

/* scx_loader-compatible mode numbers. */
enum gs_mode {
	GS_MODE_AUTO = 0,
	GS_MODE_GAMING = 1,
	GS_MODE_POWERSAVE = 2,
	GS_MODE_LOWLATENCY = 3,
	GS_MODE_SERVER = 4,
};

/* Value of the thread table (key: TID): what the scheduler concluded about each game thread,
 * for status output and tests. */
struct gs_thread_info {
	u32 tgid;
	u32 role;            /* enum gs_role */
	u64 avg_period_ns;
	u64 avg_burst_ns;
	u32 input_wake_pct;
	u32 nr_wakeups;
	u32 woken_by_peer_pct;
	u32 woken_by_render_pct;
	u32 wakes_peer_pct;
	u32 forwards_pct;
	char comm[GS_COMM_LEN];
};

/* Value of the thread-name hint table (key: comm, zero padded to GS_COMM_LEN). */
struct gs_name_hint {
	u32 role;
	u32 pad;
};

/* Desktop processes a focused game needs to be seen and heard (desktop.bpf.h). Numbers are
 * stable: they appear in the protocol. */
enum gs_desktop_role {
	GS_DESKTOP_NONE = 0,
	GS_DESKTOP_COMPOSITOR = 1,
	GS_DESKTOP_AUDIO = 2,
};

/* Value of the desktop map (key: TGID). */
struct gs_desktop_proc {
	u32 role;      /* enum gs_desktop_role */
	u32 owner_uid;
};

/* Value of the game map (key: TGID). */
struct gs_game {
	u64 since_ns;   /* when the core registered it (CLOCK_MONOTONIC) */
	u32 owner_uid;
	u32 pad;
};

/* Process events from tracepoints to the core (ring buffer). */
enum gs_proc_event_kind {
	GS_PROC_EXEC = 1,
	GS_PROC_EXIT = 2,
};

/* gs_proc_event.flags */
enum gs_proc_event_flags {
	/* The exec gained privilege (set-uid/set-gid ids or file capabilities: the kernel's
	 * AT_SECURE); the exec program already dropped the process from the game map and focus. */
	GS_PROC_SECURE_EXEC = 1,
};

struct gs_proc_event {
	u64 ts_ns;
	u32 kind;
	u32 pid;        /* TGID */
	u32 ppid;
	u32 uid;
	char comm[GS_COMM_LEN];
	u32 flags;      /* enum gs_proc_event_flags */
	u32 pad;
};

/* Allow-list map value. Key: the device's input_id packed by gs_input_key() (the core reads the
 * same ids through libevdev), so any vendor's device can be listed. */
struct gs_input_device {
	u32 input_class; /* enum gs_input_class */
	u32 pad;
};

static inline u64 gs_input_key(u16 bustype, u16 vendor, u16 product, u16 version)
{
	return ((u64)bustype << 48) | ((u64)vendor << 32) | ((u64)product << 16) | version;
}

/* Input boost state, one entry: when each class's window closes. */
struct gs_input_state {
	u64 window_end_ns[GS_NR_INPUT_CLASSES];
	u64 last_event_ns[GS_NR_INPUT_CLASSES];
};

/* Wait-time histograms per role: runnable → running, log2(us) buckets. */
struct gs_wait_hist {
	u64 buckets[GS_NR_ROLES][GS_WAIT_HIST_BUCKETS];
};

/* Per-game statistics the autotuner scores on (game_stats.bpf.h): value of a per-CPU hash keyed
 * by game TGID. The core creates an entry when it registers a game and deletes it when the game
 * leaves; BPF only adds to existing entries. Per role of the game's threads: */
struct gs_role_stats {
	u64 wait_hist[GS_WAIT_HIST_BUCKETS]; /* runnable -> running, log2(us) buckets */
	u64 wait_sum_ns;
	u64 wakeups;
	u64 period_sum_ns;  /* wake-to-wake periods of those wakeups (the first has none) */
	u64 beat_misses;    /* wakeups whose period exceeded 1.5x the thread's average */
};

struct gs_game_stats {
	struct gs_role_stats roles[GS_NR_ROLES];
	u64 boosts;         /* enqueues with a boosted deadline */
	u64 preempt_kicks;  /* running tasks kicked off a CPU for this game's threads */
	u64 migrations;     /* a thread started on another CPU than the one it last ran on */
	u64 runtime_ns;     /* CPU time of the game's threads */
};

/* Why the kernel stopped the scheduler, copied from struct scx_exit_info in ops.exit. */
struct gs_exit_info {
	s32 kind;      /* enum scx_exit_kind; 0 while attached */
	s32 pad;
	s64 exit_code; /* carries SCX_ECODE_ACT_RESTART when the kernel asks for a re-attach */
	char reason[GS_EXIT_REASON_LEN];
	char msg[GS_EXIT_MSG_LEN];
};

#endif /* GAMESCHED_BPF_INTF_H */
