// Every report view, registered on import. A new view is one file calling registerView, plus one line here.
import './sweepView.ts';
import './compareView.ts';
import './runView.ts';
import './gapView.ts';
