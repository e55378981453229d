/*
 * init.c - /init of the oracle's initramfs (static aarch64, no shell, no busybox).
 *
 * The guest kernel is the KVM host: this program mounts what the ABI tests need
 * (devtmpfs for /dev/kvm and the console, proc, sysfs), runs /abi-test for the cfg and
 * group given on the kernel command line (abi.cfg=..., abi.group=...), prints its output
 * on the console framed by "##### ORACLE-..." lines, and powers the machine off.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void console(void)
{
    int fd = open("/dev/console", O_RDWR);

    if (fd < 0)
        return;
    dup2(fd, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    if (fd > 2)
        close(fd);
}

/* Value of "key=" on the kernel command line, or def. */
static const char *cmdline_arg(const char *key, const char *def)
{
    static char buf[4096];
    static char val[8][128];
    static int nval;
    size_t klen = strlen(key);
    FILE *f = fopen("/proc/cmdline", "r");

    if (!f)
        return def;
    if (!fgets(buf, sizeof(buf), f))
        buf[0] = '\0';
    fclose(f);
    for (char *save, *tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save)) {
        if (strncmp(tok, key, klen) == 0 && tok[klen] == '=' && nval < 8) {
            snprintf(val[nval], sizeof(val[nval]), "%s", tok + klen + 1);
            return val[nval++];
        }
    }
    return def;
}

static void power_off(void)
{
    fflush(NULL);
    sync();
    reboot(RB_POWER_OFF);
    for (;;)
        pause();
}

int main(void)
{
    const char *cfg, *group;
    struct timespec t0, t1;
    struct utsname u;
    int status = 0;
    pid_t pid;

    mkdir("/dev", 0755);
    mkdir("/proc", 0755);
    mkdir("/sys", 0755);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    console();
    if (mount("proc", "/proc", "proc", 0, NULL) != 0 ||
        mount("sysfs", "/sys", "sysfs", 0, NULL) != 0)
        printf("##### ORACLE-ERROR mount: %s\n", strerror(errno));
    cfg = cmdline_arg("abi.cfg", "default");
    group = cmdline_arg("abi.group", "all");
    uname(&u);
    printf("##### ORACLE-START cfg=%s group=%s kernel=%s %s %s\n", cfg, group, u.release,
           u.version, u.machine);
    if (access("/dev/kvm", R_OK | W_OK) != 0)
        printf("##### ORACLE-ERROR /dev/kvm: %s\n", strerror(errno));
    fflush(stdout);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid = fork();
    if (pid == 0) {
        execl("/abi-test", "abi-test", "--host", cfg, "--group", group, "--data", "/data",
              (char *)NULL);
        printf("##### ORACLE-ERROR exec /abi-test: %s\n", strerror(errno));
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        status = -1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("##### ORACLE-EXIT cfg=%s status=%d seconds=%.2f\n", cfg,
           WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    power_off();
    return 0;
}
