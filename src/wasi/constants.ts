// wasi_snapshot_preview1 numbers: errno, rights, flags, file types and struct layouts (from typenames.witx).

export const ERRNO_NAMES = [
  'SUCCESS', '2BIG', 'ACCES', 'ADDRINUSE', 'ADDRNOTAVAIL', 'AFNOSUPPORT', 'AGAIN', 'ALREADY', 'BADF', 'BADMSG',
  'BUSY', 'CANCELED', 'CHILD', 'CONNABORTED', 'CONNREFUSED', 'CONNRESET', 'DEADLK', 'DESTADDRREQ', 'DOM', 'DQUOT',
  'EXIST', 'FAULT', 'FBIG', 'HOSTUNREACH', 'IDRM', 'ILSEQ', 'INPROGRESS', 'INTR', 'INVAL', 'IO',
  'ISCONN', 'ISDIR', 'LOOP', 'MFILE', 'MLINK', 'MSGSIZE', 'MULTIHOP', 'NAMETOOLONG', 'NETDOWN', 'NETRESET',
  'NETUNREACH', 'NFILE', 'NOBUFS', 'NODEV', 'NOENT', 'NOEXEC', 'NOLCK', 'NOLINK', 'NOMEM', 'NOMSG',
  'NOPROTOOPT', 'NOSPC', 'NOSYS', 'NOTCONN', 'NOTDIR', 'NOTEMPTY', 'NOTRECOVERABLE', 'NOTSOCK', 'NOTSUP', 'NOTTY',
  'NXIO', 'OVERFLOW', 'OWNERDEAD', 'PERM', 'PIPE', 'PROTO', 'PROTONOSUPPORT', 'PROTOTYPE', 'RANGE', 'ROFS',
  'SPIPE', 'SRCH', 'STALE', 'TIME', 'TXTBSY', 'XDEV', 'NOTCAPABLE',
] as const;

export const enum Errno {
  SUCCESS = 0, TOOBIG = 1, ACCES = 2, AGAIN = 6, BADF = 8, BUSY = 10, EXIST = 20, FAULT = 21, FBIG = 22,
  ILSEQ = 25, INTR = 27, INVAL = 28, IO = 29, ISDIR = 31, LOOP = 32, MFILE = 33, MLINK = 34, NAMETOOLONG = 37,
  NOENT = 44, NOMEM = 48, NOSPC = 51, NOSYS = 52, NOTDIR = 54, NOTEMPTY = 55, NOTSOCK = 57, NOTSUP = 58,
  NOTTY = 59, NXIO = 60, OVERFLOW = 61, PERM = 63, PIPE = 64, RANGE = 68, ROFS = 69, SPIPE = 70, XDEV = 75,
  NOTCAPABLE = 76,
}

/** POSIX-style code ('ENOENT') → WASI errno number; unknown codes become EIO. */
const codeToErrno = new Map<string, number>(ERRNO_NAMES.map((name, i) => ['E' + name, i]));
codeToErrno.set('ENOTCAPABLE', Errno.NOTCAPABLE);
codeToErrno.set('EWOULDBLOCK', Errno.AGAIN);
codeToErrno.set('EOPNOTSUPP', Errno.NOTSUP);
export function errnoFromCode(code: string | undefined): number {
  return (code !== undefined && codeToErrno.get(code)) || Errno.IO;
}
export function errnoName(errno: number): string {
  return errno === 0 ? 'ESUCCESS' : 'E' + (ERRNO_NAMES[errno] ?? `UNKNOWN(${errno})`);
}

// Rights fit in 30 bits, so they are handled as plain numbers (no BigInt on hot paths).
export const enum Rights {
  FD_DATASYNC = 1 << 0, FD_READ = 1 << 1, FD_SEEK = 1 << 2, FD_FDSTAT_SET_FLAGS = 1 << 3, FD_SYNC = 1 << 4,
  FD_TELL = 1 << 5, FD_WRITE = 1 << 6, FD_ADVISE = 1 << 7, FD_ALLOCATE = 1 << 8, PATH_CREATE_DIRECTORY = 1 << 9,
  PATH_CREATE_FILE = 1 << 10, PATH_LINK_SOURCE = 1 << 11, PATH_LINK_TARGET = 1 << 12, PATH_OPEN = 1 << 13,
  FD_READDIR = 1 << 14, PATH_READLINK = 1 << 15, PATH_RENAME_SOURCE = 1 << 16, PATH_RENAME_TARGET = 1 << 17,
  PATH_FILESTAT_GET = 1 << 18, PATH_FILESTAT_SET_SIZE = 1 << 19, PATH_FILESTAT_SET_TIMES = 1 << 20,
  FD_FILESTAT_GET = 1 << 21, FD_FILESTAT_SET_SIZE = 1 << 22, FD_FILESTAT_SET_TIMES = 1 << 23, PATH_SYMLINK = 1 << 24,
  PATH_REMOVE_DIRECTORY = 1 << 25, PATH_UNLINK_FILE = 1 << 26, POLL_FD_READWRITE = 1 << 27, SOCK_SHUTDOWN = 1 << 28,
  SOCK_ACCEPT = 1 << 29,
}
export const ALL_RIGHTS = (1 << 30) - 1;

/** Rights that make sense on a regular file descriptor. */
export const FILE_RIGHTS =
  Rights.FD_DATASYNC | Rights.FD_READ | Rights.FD_SEEK | Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_SYNC |
  Rights.FD_TELL | Rights.FD_WRITE | Rights.FD_ADVISE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_GET |
  Rights.FD_FILESTAT_SET_SIZE | Rights.FD_FILESTAT_SET_TIMES | Rights.POLL_FD_READWRITE;

/** Rights that make sense on a directory descriptor (no read/write/seek: those fail with EBADF like wasmtime). */
export const DIRECTORY_RIGHTS =
  Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_SYNC | Rights.FD_DATASYNC | Rights.FD_ADVISE | Rights.PATH_CREATE_DIRECTORY |
  Rights.PATH_CREATE_FILE | Rights.PATH_LINK_SOURCE | Rights.PATH_LINK_TARGET | Rights.PATH_OPEN |
  Rights.FD_READDIR | Rights.PATH_READLINK | Rights.PATH_RENAME_SOURCE | Rights.PATH_RENAME_TARGET |
  Rights.PATH_FILESTAT_GET | Rights.PATH_FILESTAT_SET_SIZE | Rights.PATH_FILESTAT_SET_TIMES |
  Rights.FD_FILESTAT_GET | Rights.FD_FILESTAT_SET_TIMES | Rights.PATH_SYMLINK | Rights.PATH_REMOVE_DIRECTORY |
  Rights.PATH_UNLINK_FILE | Rights.POLL_FD_READWRITE;

/** What a preopened directory passes on to what is opened through it: everything (as uvwasi and wasmtime). */
export const DIRECTORY_INHERITING_RIGHTS = ALL_RIGHTS;

/** Character-device style streams (stdio): no seek/tell, which is how wasi-libc's isatty() recognises a terminal. */
export const STREAM_RIGHTS =
  Rights.FD_READ | Rights.FD_WRITE | Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_FILESTAT_GET | Rights.POLL_FD_READWRITE |
  Rights.FD_SYNC | Rights.FD_DATASYNC | Rights.FD_ADVISE;

export const enum Filetype {
  UNKNOWN = 0, BLOCK_DEVICE = 1, CHARACTER_DEVICE = 2, DIRECTORY = 3, REGULAR_FILE = 4, SOCKET_DGRAM = 5,
  SOCKET_STREAM = 6, SYMBOLIC_LINK = 7,
}

export const enum Fdflags { APPEND = 1, DSYNC = 2, NONBLOCK = 4, RSYNC = 8, SYNC = 16 }
export const FDFLAGS_ALL = 31;
export const enum Oflags { CREAT = 1, DIRECTORY = 2, EXCL = 4, TRUNC = 8 }
export const enum Lookupflags { SYMLINK_FOLLOW = 1 }
export const enum Fstflags { ATIM = 1, ATIM_NOW = 2, MTIM = 4, MTIM_NOW = 8 }
export const enum Whence { SET = 0, CUR = 1, END = 2 }
export const enum Clockid { REALTIME = 0, MONOTONIC = 1, PROCESS_CPUTIME_ID = 2, THREAD_CPUTIME_ID = 3 }
export const enum Eventtype { CLOCK = 0, FD_READ = 1, FD_WRITE = 2 }
export const enum Subclockflags { ABSTIME = 1 }
export const enum Eventrwflags { HANGUP = 1 }

export const DIRENT_SIZE = 24;
export const FILESTAT_SIZE = 64;
export const FDSTAT_SIZE = 24;
export const SUBSCRIPTION_SIZE = 48;
export const EVENT_SIZE = 32;
