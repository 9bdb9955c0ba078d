/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vlan_tc_kern.c - emulate an 802.1Q VLAN for "testenv.sh setup --vlan".
 *
 * On a kernel without 802.1Q support testenv cannot create VLAN devices, so
 * two tc (clsact) programs put a real VLAN tag on the wire instead:
 *
 *   vlan_push  egress of veth0 (inside the namespace): frames sent to a
 *              "VLAN address" get an 802.1Q header with VLAN id 1.
 *   vlan_pop   ingress of the outer interface: removes that tag again so
 *              the root namespace's IP stack accepts the packet.
 *
 * tc ingress runs after XDP, so an XDP program on the outer interface sees
 * the tagged frame, exactly as it would with a real VLAN.
 *
 * VLAN addresses are recognised by a fixed pattern, so the programs need no
 * configuration at load time (testenv.sh uses the same scheme):
 *   IPv6  fc00:dead:cafe:1XX::/64  (4th group 0x0100-0x01ff)
 *   IPv4  10.12.0.0/16
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define VLAN_ID		1
#define VLAN_HDR_LEN	4
#define TC_ACT_OK	0	/* from <linux/pkt_cls.h>: let the packet go on */

static __always_inline int is_vlan_ip6(const struct ipv6hdr *ip6h)
{
	const struct in6_addr *a = &ip6h->daddr;

	return a->in6_u.u6_addr32[0] == bpf_htonl(0xfc00dead) &&
	       a->in6_u.u6_addr16[2] == bpf_htons(0xcafe) &&
	       a->in6_u.u6_addr8[6] == 0x01;
}

static __always_inline int is_vlan_ip4(const struct iphdr *iph)
{
	return (iph->daddr & bpf_htonl(0xffff0000)) == bpf_htonl(0x0a0c0000);
}

/* Is this frame addressed to a VLAN address? Every header read is checked
 * against data_end first: the verifier insists, and so should we. */
static __always_inline int wants_tag(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return 0;

	if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6h = (void *)(eth + 1);

		if ((void *)(ip6h + 1) > data_end)
			return 0;
		return is_vlan_ip6(ip6h);
	}
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *iph = (void *)(eth + 1);

		if ((void *)(iph + 1) > data_end)
			return 0;
		return is_vlan_ip4(iph);
	}
	return 0;
}

SEC("tc/vlan_push")
int vlan_push(struct __sk_buff *skb)
{
	__be16 tag[3];	/* TPID, TCI, then the original EtherType */

	/* Make sure the headers we look at are in the linear part. A short
	 * frame makes this fail; wants_tag() then simply says no. */
	bpf_skb_pull_data(skb, sizeof(struct ethhdr) + sizeof(struct ipv6hdr));
	if (!wants_tag(skb))
		return TC_ACT_OK;

	/*
	 * Why not bpf_skb_vlan_push()? It only stores the tag in the skb's
	 * offload field (as a NIC with VLAN offload would); veth hands that
	 * field to its peer as metadata, and an XDP program never sees it.
	 * We want the tag inside the frame, so we make 4 bytes of room right
	 * after the Ethernet header and write the 802.1Q header ourselves.
	 */
	tag[0] = bpf_htons(ETH_P_8021Q);
	tag[1] = bpf_htons(VLAN_ID);	/* priority 0, DEI 0, VLAN id 1 */
	bpf_skb_load_bytes(skb, offsetof(struct ethhdr, h_proto), &tag[2], 2);

	if (bpf_skb_adjust_room(skb, VLAN_HDR_LEN, BPF_ADJ_ROOM_MAC,
				BPF_F_ADJ_ROOM_FIXED_GSO))
		return TC_ACT_OK;	/* could not grow: send it untagged */

	bpf_skb_store_bytes(skb, offsetof(struct ethhdr, h_proto),
			    tag, sizeof(tag), 0);
	return TC_ACT_OK;
}

SEC("tc/vlan_pop")
int vlan_pop(struct __sk_buff *skb)
{
	/* By the time tc ingress runs the kernel has already moved the tag
	 * out of the frame into skb->vlan_tci. With no VLAN device to claim
	 * it the stack would drop the packet, so we remove our tag. If the
	 * learner's XDP program already popped it, there is nothing to do. */
	if (skb->vlan_present && (skb->vlan_tci & 0x0fff) == VLAN_ID)
		bpf_skb_vlan_pop(skb);
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
