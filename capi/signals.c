// Ctrl-C during a long call: a SIGINT handler that counts the signal and
// then calls the handler it replaced (the host's, e.g. Python's), so the
// host sees every signal exactly as before; backward passes on the watched
// thread stop when the count changes under them (signals.go).
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int64_t ag_int_count; // SIGINTs seen (atomic)
int64_t ag_int_tid;   // the thread whose passes stop (atomic; 0: none)

static struct sigaction ag_int_prev;

static void ag_on_int(int sig, siginfo_t *info, void *uc)
{
	__atomic_add_fetch(&ag_int_count, 1, __ATOMIC_SEQ_CST);
	if (ag_int_prev.sa_flags & SA_SIGINFO) {
		if (ag_int_prev.sa_sigaction != NULL)
			ag_int_prev.sa_sigaction(sig, info, uc);
	} else if (ag_int_prev.sa_handler != SIG_DFL && ag_int_prev.sa_handler != SIG_IGN) {
		ag_int_prev.sa_handler(sig);
	}
}

// ag_watch_int_c installs ag_on_int in front of the current SIGINT handler
// (once) and makes tid the watched thread. It installs nothing when there
// is no handler to chain to (SIG_DFL kills the process anyway; SIG_IGN
// means the host wants no interrupts). Returns 1 when watching, 0 when
// not, -1 when sigaction fails.
int32_t ag_watch_int_c(int64_t tid)
{
	struct sigaction cur;
	if (sigaction(SIGINT, NULL, &cur) != 0)
		return -1;
	if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == ag_on_int) {
		__atomic_store_n(&ag_int_tid, tid, __ATOMIC_SEQ_CST);
		return 1;
	}
	if (!(cur.sa_flags & SA_SIGINFO) && (cur.sa_handler == SIG_DFL || cur.sa_handler == SIG_IGN))
		return 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = ag_on_int;
	sa.sa_mask = cur.sa_mask;
	// keep the host's flags (Python's handler has no SA_RESTART, so that a
	// blocking call returns EINTR and the handler runs soon); SA_ONSTACK,
	// which the Go runtime asks of every handler: the signal may arrive on
	// one of its threads, whose stacks are small
	sa.sa_flags = (cur.sa_flags & ~SA_RESETHAND) | SA_SIGINFO | SA_ONSTACK;
	ag_int_prev = cur;
	if (sigaction(SIGINT, &sa, NULL) != 0)
		return -1;
	__atomic_store_n(&ag_int_tid, tid, __ATOMIC_SEQ_CST);
	return 1;
}
