// SPDX-License-Identifier: GPL-2.0-only
/*
 * ParaCell host module: /dev/paracell.
 *
 * The device creates cells; everything else happens on cell fds (cell.c).
 * /sys/class/misc/paracell/live_cells counts the cells alive, so tests can
 * show that none leaked.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "internal.h"

atomic_t paracell_live_cells = ATOMIC_INIT(0);

static long paracell_dev_create_cell(void __user *argp)
{
	struct paracell_create_cell req;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.flags & ~PARACELL_CELL_FLAGS)
		return -EINVAL;
	if (req.reserved[0] || req.reserved[1] || req.reserved[2])
		return -EINVAL;
	/* An mm whose container kernel has a cell may not make another. */
	if (current->mm && paracell_mm_has_xgate(current->mm) &&
	    !paracell_mutant(SECOND_CELL))
		return -EPERM;
	return paracell_cell_create(&req);
}

static long paracell_dev_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	switch (cmd) {
	case PARACELL_GET_API_VERSION:
		return PARACELL_API_VERSION;
	case PARACELL_CREATE_CELL:
		return paracell_dev_create_cell((void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations paracell_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= paracell_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static ssize_t live_cells_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&paracell_live_cells));
}
static DEVICE_ATTR_RO(live_cells);

static ssize_t api_version_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", PARACELL_API_VERSION);
}
static DEVICE_ATTR_RO(api_version);

static struct attribute *paracell_attrs[] = {
	&dev_attr_live_cells.attr,
	&dev_attr_api_version.attr,
	NULL,
};
ATTRIBUTE_GROUPS(paracell);

static struct miscdevice paracell_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "paracell",
	.fops	= &paracell_dev_fops,
	.groups	= paracell_groups,
	.mode	= 0600,
};

static int __init paracell_init(void)
{
	int ret;

	ret = misc_register(&paracell_misc);
	if (ret) {
		pr_err("cannot register /dev/paracell: %d\n", ret);
		return ret;
	}
	pr_info("loaded, API version %d\n", PARACELL_API_VERSION);
	return 0;
}

static void __exit paracell_exit(void)
{
	misc_deregister(&paracell_misc);
	/* Every cell file holds a module reference, so none can be left. */
	WARN_ON(atomic_read(&paracell_live_cells));
}

module_init(paracell_init);
module_exit(paracell_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ParaCell cells, Pager and XGate host support");
MODULE_AUTHOR("ParaCell developers");
