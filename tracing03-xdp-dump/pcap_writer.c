// SPDX-License-Identifier: GPL-2.0
/*
 * pcap files in the machine's byte order: the magic number tells a reader
 * which order that is, and that timestamps are in microseconds.
 */
#include <errno.h>

#include "pcap_writer.h"

#define PCAP_MAGIC_USEC		0xa1b2c3d4
#define PCAP_VERSION_MAJOR	2
#define PCAP_VERSION_MINOR	4
#define LINKTYPE_ETHERNET	1

struct pcap_file_header {
	__u32 magic;
	__u16 version_major;
	__u16 version_minor;
	__s32 thiszone;		/* always 0: timestamps are UTC */
	__u32 sigfigs;		/* always 0 */
	__u32 snaplen;
	__u32 linktype;
};

struct pcap_record_header {
	__u32 ts_sec;
	__u32 ts_usec;
	__u32 incl_len;		/* bytes in the file */
	__u32 orig_len;		/* bytes the frame had */
};

static int write_all(FILE *out, const void *buf, size_t len)
{
	if (fwrite(buf, 1, len, out) == len)
		return 0;
	return errno ? -errno : -EIO;
}

int pcap_write_header(FILE *out, __u32 snaplen)
{
	struct pcap_file_header h = {
		.magic = PCAP_MAGIC_USEC,
		.version_major = PCAP_VERSION_MAJOR,
		.version_minor = PCAP_VERSION_MINOR,
		.snaplen = snaplen,
		.linktype = LINKTYPE_ETHERNET,
	};

	return write_all(out, &h, sizeof(h));
}

int pcap_write_frame(FILE *out, const struct frame *f)
{
	__u32 usec = (__u32)((f->time - (__u32)f->time) * 1e6);
	struct pcap_record_header h = {
		.ts_sec = (__u32)f->time,
		.ts_usec = usec < 1000000 ? usec : 999999,
		.incl_len = f->cap_len,
		.orig_len = f->pkt_len,
	};

	if (write_all(out, &h, sizeof(h)))
		return -EIO;
	return write_all(out, f->data, f->cap_len);
}
