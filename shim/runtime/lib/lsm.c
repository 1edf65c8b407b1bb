// SPDX-License-Identifier: Apache-2.0
#include "lsm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "util.h"

static bool apparmor_enabled(void)
{
	char *text = NULL;
	bool on = !pc_read_file("/sys/module/apparmor/parameters/enabled", &text, NULL) &&
		  text[0] == 'Y';

	free(text);
	return on;
}

static bool selinux_enabled(void)
{
	return access("/sys/fs/selinux/enforce", F_OK) == 0;
}

int pc_lsm_check(const struct pc_process *p, const char *mount_label)
{
	if (p->apparmor_profile && !apparmor_enabled())
		return pc_fail(ENOTSUP, "apparmor profile \"%s\" is set, but AppArmor is not "
			       "enabled on this host", p->apparmor_profile);
	if (p->selinux_label && !selinux_enabled())
		return pc_fail(ENOTSUP, "selinux label \"%s\" is set, but SELinux is not "
			       "enabled on this host", p->selinux_label);
	if (mount_label)
		return pc_fail(ENOTSUP, "linux.mountLabel (SELinux mount labels) is not supported");
	return 0;
}

/* Write an attribute of this thread; absent files: ENOENT. */
static int attr_write(const char *file, const char *val)
{
	char *path = pc_strfmt("/proc/thread-self/attr/%s", file);
	int ret;

	if (!path)
		return -ENOMEM;
	ret = pc_write_str(path, val);
	free(path);
	return ret;
}

int pc_lsm_exec_labels(const struct pc_process *p)
{
	int ret;

	if (p->apparmor_profile) {
		char *cmd = pc_strfmt("exec %s", p->apparmor_profile);

		if (!cmd)
			return -ENOMEM;
		/* the stacking-aware file, else the old shared one */
		ret = attr_write("apparmor/exec", cmd);
		if (ret == -ENOENT)
			ret = attr_write("exec", cmd);
		free(cmd);
		if (ret)
			return pc_failx(-ret, "set apparmor profile %s", p->apparmor_profile);
	}
	if (p->selinux_label && (ret = attr_write("exec", p->selinux_label)))
		return pc_failx(-ret, "set selinux label %s", p->selinux_label);
	return 0;
}
