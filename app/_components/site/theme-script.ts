// Runs in <head> before the first paint: picks the theme (saved choice, else the OS preference) and restores
// the lab pane width, so neither flashes on load. Kept tiny and dependency-free; it is inlined as a string.
export const THEME_STORAGE_KEY = 'pw-theme';
export const LAB_WIDTH_STORAGE_KEY = 'pw-lab-width';

export const themeScript = `(function(){try{var d=document.documentElement;var t=localStorage.getItem('${THEME_STORAGE_KEY}');if(t!=='light'&&t!=='dark'){t=window.matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light'}d.setAttribute('data-theme',t);var w=parseFloat(localStorage.getItem('${LAB_WIDTH_STORAGE_KEY}')||'');if(w>=20&&w<=75){d.style.setProperty('--lab-width',w+'vw')}}catch(e){}})();`;
