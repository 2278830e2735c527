;; countdown: a hand-written WebAssembly text module — counts down from 5 on stdout, then exits with code 0.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param $fd i32) (param $iovs i32) (param $iovs_len i32) (param $nwritten i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param $code i32)))

  (memory (export "memory") 1)

  ;; Byte 100: one digit and a newline, rewritten on every round.
  (data (i32.const 100) "0\n")
  (data (i32.const 200) "Liftoff!\n")

  ;; Writes `len` bytes at `ptr` to stdout through one iovec at address 0.
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func $main (export "_start")
    (local $n i32)
    (local.set $n (i32.const 5))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (i32.store8 (i32.const 100) (i32.add (i32.const 48) (local.get $n)))  ;; '0' + n
        (call $print (i32.const 100) (i32.const 2))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (call $print (i32.const 200) (i32.const 9))
    (call $proc_exit (i32.const 0))))
