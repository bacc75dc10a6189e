# Sourced by the *-same-run.sh scripts (and ./jgrad, for its demos): both sides on 2 MiB pages where the kernel offers transparent
# huge pages to programs that ask (/sys/kernel/mm/transparent_hugepage/enabled "always" or "madvise"),
# as ./jgrad bench runs jgrad's JMH forks: HUGE_JVM is the JVM flag that puts the Java heap on them,
# HUGE_ENV the glibc tunable that does the same for NumPy's and PyTorch's malloc. JGRAD_HUGE_PAGES=0
# leaves both sides on 4 KiB pages.
HUGE_JVM="" HUGE_ENV=()
if [ "${JGRAD_HUGE_PAGES:-1}" != 0 ] && grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
    HUGE_JVM="-XX:+UseTransparentHugePages"
    HUGE_ENV=(GLIBC_TUNABLES=glibc.malloc.hugetlb=1)
fi
