// The shop's own script: it logs and calls its API like any page, so the widget has something to capture.
document.addEventListener('DOMContentLoaded', () => {
  console.info('[shop] cart loaded', { items: 2, total: 43.5 });
  const form = document.getElementById('checkout');
  const message = document.getElementById('message');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    console.log('[shop] paying with session token=sess_9f8e7d6c5b4a and Authorization: Bearer sk_test_demo_secret_123');
    const response = await fetch('/api/pay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"amount":43.5}' });
    console.error(`[shop] payment failed: HTTP ${response.status}`);
    message.textContent = 'Payment failed. Please try again later.';
  });
});
