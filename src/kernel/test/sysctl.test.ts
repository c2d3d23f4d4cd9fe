import { describe, expect, test } from 'vitest';
import { Sysctls } from '../sysctl.ts';

describe('sysctl', () => {
  test('sysctl_key_forms: dotted keys, /proc/sys paths and padded keys name the same setting (sysctl(8))', () => {
    const s = new Sysctls({ 'net.ipv4.tcp_fin_timeout': 5 });
    expect(s.get('net.ipv4.tcp_fin_timeout')).toBe('5');
    expect(s.get('/proc/sys/net/ipv4/tcp_fin_timeout')).toBe('5');
    expect(s.get('net/ipv4/tcp_fin_timeout')).toBe('5');
    expect(s.get('  net.ipv4.tcp_fin_timeout ')).toBe('5');
    expect(s.has('net.ipv4.no_such_key')).toBe(false);
  });

  test('sysctl_syn_linear_timeouts: Linux ≥ 6.5 default of 4, settable', () => {
    const s = new Sysctls();
    expect(s.get('net.ipv4.tcp_syn_linear_timeouts')).toBe('4');
    expect(s.set('net.ipv4.tcp_syn_linear_timeouts', '0').ok).toBe(true);
    expect(s.get('net.ipv4.tcp_syn_linear_timeouts')).toBe('0');
  });
});
