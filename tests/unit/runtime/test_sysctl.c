// SPDX-License-Identifier: Apache-2.0
/* linux.sysctl: which names create accepts, given the namespaces (runc's
 * rule), and the messages of those it refuses. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "err.h"
#include "spec.h"
#include "sysctl.h"

#define DOC "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"}," \
	"\"linux\":{\"namespaces\":%s,\"sysctl\":{\"%s\":\"1\"}}}"
#define ALL "[{\"type\":\"ipc\"},{\"type\":\"network\"},{\"type\":\"uts\"},{\"type\":\"mount\"}]"
#define NONE "[{\"type\":\"mount\"}]"

/* want NULL: accepted; else refused with a message containing want. */
static void check(const char *ns, const char *name, const char *want)
{
	struct pc_spec s;
	char doc[512];
	int ret;

	snprintf(doc, sizeof(doc), DOC, ns, name);
	assert_int_equal(pc_spec_parse(doc, &s), 0);
	pc_err_clear();
	ret = pc_sysctl_check(&s);
	pc_spec_free(&s);
	if (!want) {
		if (ret)
			fail_msg("%s refused: %s", name, pc_err_msg());
		return;
	}
	assert_int_equal(ret, -EINVAL);
	if (!strstr(pc_err_msg(), want))
		fail_msg("%s: message \"%s\" lacks \"%s\"", name, pc_err_msg(), want);
}

static void test_own_namespaces(void **state)
{
	(void)state;
	check(ALL, "net.ipv4.ip_forward", NULL);
	check(ALL, "net/ipv4/conf/eth0.100/forwarding", NULL);
	check(ALL, "kernel.shmmax", NULL);
	check(ALL, "kernel.msgmnb", NULL);
	check(ALL, "kernel.sem", NULL);
	check(ALL, "fs.mqueue.msg_max", NULL);
	check(ALL, "kernel.domainname", NULL);
}

static void test_host_namespaces(void **state)
{
	(void)state;
	check(NONE, "net.ipv4.ip_forward", "not allowed in the host's network namespace");
	check("[{\"type\":\"network\",\"path\":\"/proc/self/ns/net\"}]", "net.core.somaxconn",
	      "not allowed in the host's network namespace");
	check(NONE, "kernel.shmmax", "not allowed in the host's ipc namespace");
	check(NONE, "fs.mqueue.queues_max", "not allowed in the host's ipc namespace");
	check(NONE, "kernel.domainname", "not allowed in the host's uts namespace");
}

static void test_not_namespaced(void **state)
{
	(void)state;
	check(ALL, "vm.swappiness", "\"vm.swappiness\" is not in a separate kernel namespace");
	check(ALL, "kernel.core_pattern", "not in a separate kernel namespace");
	check(ALL, "fs.file-max", "not in a separate kernel namespace");
	check(ALL, "kernel.shm_next_id_x", "not in a separate kernel namespace");
	check(ALL, "kernel.hostname", "conflicts with the config");
}

static void test_bad_names(void **state)
{
	(void)state;
	check(ALL, "net..ipv4", "invalid sysctl name");
	check(ALL, "net.//.vm.swappiness", "invalid sysctl name");
	check(ALL, "net.ipv4.", "invalid sysctl name");
	check(ALL, "", "empty sysctl name");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_namespaces),
		cmocka_unit_test(test_host_namespaces),
		cmocka_unit_test(test_not_namespaced),
		cmocka_unit_test(test_bad_names),
	};

	return cmocka_run_group_tests_name("runtime: sysctl", tests, NULL, NULL);
}
