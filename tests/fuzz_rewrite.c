// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_rewrite: packet02's programs against a reference written here, on a
 * fixed set of edge cases and then on seeded random and mutated frames.
 *
 *   fuzz_rewrite OBJ PROG [-n COUNT] [-s SEED] [-t tagged|untagged] [-l] [-v]
 *   fuzz_rewrite OBJ PROG -p SPEC... [-v]
 *
 * PROG is xdp_port_rewrite_func, xdp_vlan_swap_func or (a tc program)
 * tc_port_restore_func of packet02, or xdp_swap_func (tests/swap_kern.c);
 * each has its reference below. For every frame the verdict and the output bytes must
 * agree with the reference, and when every checksum in the frame that went
 * in was right, every checksum in the output must be right, each
 * recomputed from scratch (the oracle that does not trust either side's
 * arithmetic). -t keeps only tagged or only untagged frames; -l prints
 * every edge case's result ("ok DESC" / "FAIL DESC: ..."). -p runs only
 * the frames given as specs (tests/lib/packets.h), each with a line. -v
 * shows the verifier's whole log when it rejects PROG.
 *
 * Prints "ok: N frames agree (seed S, T s)", or the first disagreement as
 * one line "FAIL DESC: WHAT", followed by the frames in hex and the seed.
 * Exit status as diff(1): 0 all agree, 1 a disagreement, 2 trouble (bad
 * arguments, the object does not load).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <netinet/in.h>

#include "bpf_load.h"
#include "logging.h"
#include "params.h"
#include "util.h"
#include "xdp_prog.h"
#include "lib/fuzz_frames.h"
#include "lib/packets.h"
#include "lib/rewrite_ref.h"

#define SPECS_MAX   64

/* ---------------------------------------------------------- comparison --- */

static void print_hex(const char *label, const uint8_t *p, size_t len)
{
	printf("%-10s", label);
	for (size_t i = 0; i < len; i++)
		printf("%02x", p[i]);
	putchar('\n');
}

/* The first difference between @got and @want, as "FIELD is X, expected Y". */
static void describe_difference(const struct result *got, const struct result *want,
				char *why, size_t why_len)
{
	const char *field;
	size_t i, at;

	for (i = 0; i < got->len && got->p[i] == want->p[i]; i++)
		;
	at = i & ~(size_t)1;
	if (at + 2 > got->len) {
		snprintf(why, why_len, "byte %zu differs", i);
		return;
	}
	field = field_at(want->p, want->len, i);
	if (strstr(field, " port"))
		snprintf(why, why_len, "%s is %u, expected %u", field, get16(got->p + at),
			 get16(want->p + at));
	else
		snprintf(why, why_len, "%s is 0x%04x, expected 0x%04x (byte %zu)", field,
			 get16(got->p + at), get16(want->p + at), at);
}

/* @a and @b are the same frame, except perhaps for the form of a TCP
 * checksum that is ones' complement zero: 0x0000 and 0xffff are the same
 * number there, and receivers accept both (RFC 1624, section 3). The
 * kernel's checksum helpers may give either. (Not so for UDP, where 0
 * means "no checksum".) */
static bool same_but_zero_form(const uint8_t *a, const uint8_t *b, size_t len)
{
	struct layout lo;
	size_t at;

	if (!memcmp(a, b, len))
		return true;
	locate(b, len, &lo);
	if (!lo.l4_ok || lo.l4 != IPPROTO_TCP)
		return false;
	at = lo.l4_off + 16;
	if ((get16(a + at) != 0 && get16(a + at) != 0xffff) ||
	    (get16(b + at) != 0 && get16(b + at) != 0xffff))
		return false;
	return !memcmp(a, b, at) && !memcmp(a + at + 2, b + at + 2, len - at - 2);
}

static const char *verdict_name(bool tc, int verdict)
{
	if (!tc)
		return xdp_action_name(verdict);
	return verdict == TC_ACT_OK ? "TC_ACT_OK" : verdict == TC_ACT_SHOT ? "TC_ACT_SHOT" :
	       "another TC_ACT_*";
}

/* Compare the program's output with the reference's; a line in @why. */
static bool agrees(bool tc, const struct frame *in, const struct result *got,
		   const struct result *want, char *why, size_t why_len)
{
	bool unchanged = got->len == in->len && !memcmp(got->p, in->p, in->len);
	size_t used;

	if (got->verdict != want->verdict) {
		snprintf(why, why_len, "verdict %s, expected %s", verdict_name(tc, got->verdict),
			 verdict_name(tc, want->verdict));
		return false;
	}
	if (got->len == want->len && same_but_zero_form(got->p, want->p, got->len))
		return !checksums_valid(in->p, in->len, why, why_len) ||
		       checksums_valid(got->p, got->len, why, why_len);

	snprintf(why, why_len, "%s", unchanged ? "came out unchanged; " : "");
	used = strlen(why);
	if (got->len != want->len)
		snprintf(why + used, why_len - used, "%zu bytes came out, expected %zu%s",
			 got->len, want->len,
			 want->len == in->len + 4 ? " (a tag pushed)" :
			 want->len + 4 == in->len ? " (a tag removed)" : "");
	else
		describe_difference(got, want, why + used, why_len - used);
	return false;
}

/* ------------------------------------------------------------- running --- */

static int run_prog(int fd, const struct frame *f, struct result *r)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f->p, .data_size_in = f->len,
		    .data_out = r->p, .data_size_out = sizeof(r->p));

	if (bpf_prog_test_run_opts(fd, &opts))
		return -errno;
	r->verdict = opts.retval;
	r->len = opts.data_size_out;
	return 0;
}

struct run {
	int fd;
	const struct reference *ref;
	int only_tagged;	/* -1 all, 0 untagged only, 1 tagged only */
	bool list;
	bool verbose;
	const char *specs[SPECS_MAX];
	int nspecs;
	uint64_t seed;
	unsigned long count;
	unsigned long done;
	unsigned long refused;	/* frames a tc test run does not take */
};

static bool wanted(const struct run *run, const struct frame *f)
{
	return run->only_tagged < 0 || run->only_tagged == is_tagged(f->p, f->len);
}

/* 0 agree, 1 disagree (reported), 2 the test run failed (reported). */
static int try_frame(struct run *run, const struct frame *f, bool report_ok)
{
	static struct result got, want;
	char why[DESC_MAX];
	int err;

	if (!wanted(run, f))
		return 0;
	err = run_prog(run->fd, f, &got);
	if (err == -EINVAL && run->ref->tc) {
		/* An skb test run wants the whole IP header when the
		 * EtherType says IP: such a frame never reaches tc. */
		run->refused++;
		if (report_ok)
			printf("skip %s: a tc test run refuses it\n", f->desc);
		return 0;
	}
	if (err) {
		pr_err("BPF_PROG_TEST_RUN failed on %s: %s", f->desc, strerror(-err));
		return 2;
	}
	run->done++;
	run->ref->ref(f->p, f->len, &want);
	if (agrees(run->ref->tc, f, &got, &want, why, sizeof(why))) {
		if (report_ok)
			printf("ok %s\n", f->desc);
		return 0;
	}
	printf("FAIL %s: %s\n", f->desc, why);
	print_hex("in:", f->p, f->len);
	print_hex("got:", got.p, got.len);
	print_hex("expected:", want.p, want.len);
	printf("seed:     %llu (fuzz_rewrite -s %llu reproduces it)\n",
	       (unsigned long long)run->seed, (unsigned long long)run->seed);
	return 1;
}

static int fuzz(struct run *run)
{
	static struct frame edges[EDGE_MAX], f;
	int n, ret = 0;

	n = edge_frames(edges);
	for (int i = 0; i < n && (ret == 0 || run->list); i++) {
		int r = try_frame(run, &edges[i], run->list);

		ret = ret ? ret : r;
	}
	frames_seed(run->seed);
	for (unsigned long i = 0; i < run->count && !ret; i++) {
		random_frame(&f);
		ret = try_frame(run, &f, false);
	}
	return ret;
}

/* The frames -p gives, each reported; 0 all agree, 1 not, 2 trouble. */
static int run_specs(struct run *run)
{
	static struct frame f;
	int len, ret = 0, r;

	for (int i = 0; i < run->nspecs; i++) {
		len = build_packet(run->specs[i], f.p);
		if (len < 0) {
			pr_err("bad packet spec '%s' (see tests/lib/packets.h)", run->specs[i]);
			return 2;
		}
		f.len = len;
		snprintf(f.desc, sizeof(f.desc), "%s", run->specs[i]);
		r = try_frame(run, &f, true);
		if (r == 2)
			return 2;
		ret |= r;
	}
	return ret;
}

/* -------------------------------------------------------------- setup --- */

/* xdp_obj_open() takes XDP programs only; this opens the solution's tc
 * program the same way: only it is loaded (it has no maps to pin). */
static struct bpf_object *tc_obj_open(const char *file, const char *name,
				      struct bpf_program **prog)
{
	struct bpf_object *obj = bpf_object__open_file(file, NULL);
	struct bpf_program *p;

	if (!obj) {
		pr_err("cannot open %s: %s", file, strerror(errno));
		return NULL;
	}
	*prog = bpf_object__find_program_by_name(obj, name);
	if (!*prog || bpf_program__type(*prog) != BPF_PROG_TYPE_SCHED_CLS) {
		pr_err("no program '%s' in %s, or not a tc program", name, file);
		bpf_object__close(obj);
		return NULL;
	}
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, p == *prog);
	return obj;
}

/* Load only the reference's program from FILE, unpinned; its fd in *fd. */
static struct bpf_object *load_prog(const char *file, const struct reference *ref, int *fd)
{
	struct bpf_program *prog;
	struct bpf_object *obj;

	if (ref->tc)
		obj = tc_obj_open(file, ref->prog, &prog);
	else
		obj = xdp_obj_open(file, ref->prog, false, &prog);
	if (!obj)
		return NULL;
	if (load_bpf_object(obj)) {
		bpf_object__close(obj);
		return NULL;
	}
	*fd = bpf_program__fd(prog);
	return obj;
}

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "fuzz_rewrite: %s (see fuzz_rewrite --help)\n", why);
	else
		printf("Usage: fuzz_rewrite OBJ PROG [-n COUNT] [-s SEED] [-t tagged|untagged] [-l] [-v]\n"
		       "       fuzz_rewrite OBJ PROG -p SPEC... [-v]\n"
		       "PROG: xdp_port_rewrite_func, xdp_vlan_swap_func, tc_port_restore_func\n"
		       "or xdp_swap_func; exit 0 all agree, 1 a disagreement, 2 trouble\n");
	return why ? 2 : 0;
}

static int parse_args(int argc, char **argv, struct run *run)
{
	static const struct option longopts[] = { { "help", no_argument, NULL, 'h' }, { } };
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "n:s:t:lp:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			errno = 0;
			run->count = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-')
				return usage("-n needs a count");
			break;
		case 's':
			errno = 0;
			run->seed = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-')
				return usage("-s needs a decimal seed");
			break;
		case 't':
			if (strcmp(optarg, "tagged") && strcmp(optarg, "untagged"))
				return usage("-t takes tagged or untagged");
			run->only_tagged = !strcmp(optarg, "tagged");
			break;
		case 'l': run->list = true; break;
		case 'v': run->verbose = true; break;
		case 'p':
			if (run->nspecs == SPECS_MAX)
				return usage("too many -p specs");
			run->specs[run->nspecs++] = optarg;
			break;
		case 'h': usage(NULL); return -1;
		default: return 2;
		}
	}
	if (argc - optind != 2)
		return usage("needs an object file and a program name");
	run->ref = find_reference(argv[optind + 1]);
	if (!run->ref)
		return usage("no reference for that program");
	return 0;
}

int main(int argc, char **argv)
{
	struct run run = { .only_tagged = -1, .count = 100000 };
	struct bpf_object *obj;
	struct timespec t0, t1;
	int ret;

	tool_name = "fuzz_rewrite";
	run.seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	ret = parse_args(argc, argv, &run);
	if (ret)
		return ret < 0 ? 0 : ret;
	logging_init(&(struct config){ .verbose = run.verbose });
	obj = load_prog(argv[optind], run.ref, &run.fd);
	if (!obj)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = run.nspecs ? run_specs(&run) : fuzz(&run);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!ret && !run.nspecs)
		printf("ok: %lu frames agree (seed %llu, %.2f s%s)\n", run.done,
		       (unsigned long long)run.seed,
		       t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9,
		       run.refused ? "; short IP frames a tc test run refuses left out" : "");
	bpf_object__close(obj);
	return ret;
}
