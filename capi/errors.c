// Per-thread storage of the last error, like errno: each OS thread that
// calls the library has its own slot, freed when the thread exits, and a new
// thread starts with none. A pthread key is used rather than __thread, whose
// static TLS a dlopen()ed library may not be able to get.
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct ag_error {
	int32_t kind;
	char *msg; /* NUL-terminated, malloc'ed */
};

static pthread_key_t ag_error_key;
static pthread_once_t ag_error_once = PTHREAD_ONCE_INIT;

static void ag_error_free(void *p)
{
	struct ag_error *e = p;
	free(e->msg);
	free(e);
}

static void ag_error_init(void) { pthread_key_create(&ag_error_key, ag_error_free); }

// ag_set_error records (kind, msg[:len]) as the calling thread's last error.
void ag_set_error(int32_t kind, const char *msg, int64_t len)
{
	pthread_once(&ag_error_once, ag_error_init);
	struct ag_error *e = pthread_getspecific(ag_error_key);
	if (e == NULL) {
		e = calloc(1, sizeof *e);
		if (e == NULL)
			return;
		pthread_setspecific(ag_error_key, e);
	}
	char *m = malloc((size_t)len + 1);
	if (m != NULL) {
		memcpy(m, msg, (size_t)len);
		m[len] = 0;
	}
	free(e->msg);
	e->msg = m;
	e->kind = kind;
}

// ag_take_error returns and clears the calling thread's last error kind,
// copying its message into buf (truncated to cap bytes, NUL included).
int32_t ag_take_error(char *buf, int64_t cap)
{
	pthread_once(&ag_error_once, ag_error_init);
	struct ag_error *e = pthread_getspecific(ag_error_key);
	int32_t kind = 0;
	const char *m = "";
	if (e != NULL && e->kind != 0) {
		kind = e->kind;
		if (e->msg != NULL)
			m = e->msg;
	}
	if (buf != NULL && cap > 0) {
		size_t n = strlen(m);
		if (n > (size_t)(cap - 1))
			n = (size_t)(cap - 1);
		memcpy(buf, m, n);
		buf[n] = 0;
	}
	if (e != NULL) {
		free(e->msg);
		e->msg = NULL;
		e->kind = 0;
	}
	return kind;
}
