/**
 * What a served page shows when it may not see data: opened without the token, or holding a
 * token the server no longer accepts (the server was restarted: each run has a new token).
 */
export type AccessProblem = "no-token" | "refused";

const WHY: Record<AccessProblem, string> = {
  "no-token": "This page was opened without its access token.",
  refused: "The server refused this page's access token — it was probably restarted, and each run has a new token.",
};

export function AccessRefused({ problem }: { problem: AccessProblem }): React.JSX.Element {
  return (
    <div className="app">
      <div className="empty-state" role="alert" data-testid="access-refused" data-problem={problem}>
        <h1>No access</h1>
        <p>{WHY[problem]}</p>
        <p>
          Open the URL printed by <code>fsm-inspector serve</code>, with its token: <code>http://127.0.0.1:PORT/?token=…</code>
        </p>
      </div>
    </div>
  );
}
